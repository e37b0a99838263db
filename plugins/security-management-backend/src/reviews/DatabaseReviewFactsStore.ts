import { DatabaseService } from '@backstage/backend-plugin-api';
import { ReviewReason } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunkRows } from '../lib/rows';
import { pendingReviewReasons } from './pendingReasons';
import { ChangedFacts, ReviewFactsStore, SeenFacts } from './ReviewFactsStore';

/** The knex implementation of {@link ReviewFactsStore}. */
export class DatabaseReviewFactsStore implements ReviewFactsStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseReviewFactsStore> {
    return new DatabaseReviewFactsStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async getAllFacts(): Promise<Map<string, string>> {
    const rows: Array<{ entity_ref: string; facts: string }> = await this.db(
      'review_facts',
    ).select('entity_ref', 'facts');
    return new Map(rows.map(row => [row.entity_ref, row.facts]));
  }

  async recordFacts(options: {
    added: SeenFacts[];
    changed: ChangedFacts[];
    now: Date;
  }): Promise<{ added: number; changed: number; reasons: number }> {
    const now = options.now.getTime();
    const result = { added: 0, changed: 0, reasons: 0 };
    if (!options.added.length && !options.changed.length) return result;
    await this.db.transaction(async tx => {
      const rows = options.added.map(seen => ({
        entity_ref: seen.entityRef,
        facts: seen.facts,
        changed_at: null,
        updated_at: now,
      }));
      for (const batch of chunkRows(rows)) {
        // A row another sync stored meanwhile stays: it saw the same entity.
        await tx('review_facts')
          .insert(batch)
          .onConflict('entity_ref')
          .ignore();
      }
      result.added = rows.length;
      const triggers: Array<Record<string, unknown>> = [];
      for (const change of options.changed) {
        const updated = await tx('review_facts')
          .where({ entity_ref: change.entityRef, facts: change.previous })
          .update({
            facts: change.facts,
            updated_at: now,
            ...(change.changes.length ? { changed_at: now } : {}),
          });
        if (!updated) continue;
        result.changed++;
        for (const detected of change.changes) {
          triggers.push({
            entity_ref: change.entityRef,
            trigger: detected.trigger,
            detail: detected.detail,
            seen_at: now,
          });
        }
      }
      for (const batch of chunkRows(triggers)) {
        await tx('review_triggers').insert(batch);
      }
      result.reasons = triggers.length;
    });
    return result;
  }

  listPendingReasons(
    entityRefs: string[],
  ): Promise<Map<string, ReviewReason[]>> {
    return pendingReviewReasons(this.db, entityRefs);
  }
}
