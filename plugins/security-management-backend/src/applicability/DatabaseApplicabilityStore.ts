import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ApplicabilityRefreshResult,
  ControlCoverage,
  ControlListItem,
  ControlStatus,
  ControlStatusCounts,
  ControlSummary,
  emptyControlCounts,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import {
  byKey,
  chunk,
  chunkRows,
  DbMillis,
  IN_LIST_SIZE,
  optional,
  toOptionalIso,
} from '../lib/rows';
import { markCountsStale } from '../posture/postureCounts';
import { rowRetestRequired } from '../incidents/postIncidentReview';
import {
  controlStatusSql,
  joinPairState,
  pairStatusQuery,
} from '../posture/postureSql';
import { recomputeDueDates } from '../testing/latestTests';
import { ApplicabilityStore, StoredEntity } from './ApplicabilityStore';
import { ControlRow, EntityRow, rowToControl } from './rows';

/**
 * The knex implementation of {@link ApplicabilityStore}. The snapshot
 * replace also moves the due dates of latest tests and marks posture counts
 * stale, in its one transaction.
 */
export class DatabaseApplicabilityStore implements ApplicabilityStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseApplicabilityStore> {
    return new DatabaseApplicabilityStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async replaceCatalogSnapshot(options: {
    controls: ControlSummary[];
    entities: StoredEntity[];
    now: Date;
  }): Promise<ApplicabilityRefreshResult> {
    const now = options.now.getTime();
    // Rows are written in key order so that two replicas running this at
    // once take row locks in the same order and wait instead of deadlocking.
    const controls = [...options.controls].sort(byKey(c => c.ref));
    const entities = [...options.entities].sort(byKey(e => e.entityRef));
    const controlRefs = new Set(controls.map(c => c.ref));
    const entityRefs = new Set(entities.map(e => e.entityRef));

    return this.db.transaction(async tx => {
      const previousCadences = new Map(
        (await tx<ControlRow>('controls').select('control_ref', 'cadence')).map(
          row => [row.control_ref, row.cadence],
        ),
      );

      const controlRows: ControlRow[] = controls.map(control => ({
        control_ref: control.ref,
        title: control.title,
        description: control.description ?? null,
        owner: control.owner,
        category: control.category,
        criticality: control.criticality,
        cadence: control.cadence,
        method: control.method,
        procedure: control.procedure ?? null,
        frameworks: JSON.stringify(control.frameworks ?? []),
        updated_at: now,
      }));
      for (const rows of chunkRows(controlRows)) {
        await tx('controls').insert(rows).onConflict('control_ref').merge();
      }
      const goneControls = [...previousCadences.keys()].filter(
        ref => !controlRefs.has(ref),
      );
      // Every entity whose counts may change, marked once at the end.
      const touched = new Set<string>();
      for (const refs of chunk(goneControls, IN_LIST_SIZE)) {
        for (const row of await tx('applicability')
          .whereIn('control_ref', refs)
          .distinct('entity_ref')) {
          touched.add(row.entity_ref);
        }
        await tx('applicability').whereIn('control_ref', refs).delete();
        await tx('controls').whereIn('control_ref', refs).delete();
      }

      const activeBefore = (
        await tx<EntityRow>('entities')
          .whereNull('removed_at')
          .select('entity_ref')
      ).map(row => row.entity_ref);
      const entityRows: EntityRow[] = entities.map(entity => ({
        entity_ref: entity.entityRef,
        kind: entity.kind,
        title: entity.title ?? null,
        owner: entity.owner ?? null,
        system: entity.system ?? null,
        domain: entity.domain ?? null,
        risk_tier: entity.riskTier,
        removed_at: null,
        updated_at: now,
      }));
      for (const rows of chunkRows(entityRows)) {
        await tx('entities').insert(rows).onConflict('entity_ref').merge();
      }
      const removed = activeBefore.filter(ref => !entityRefs.has(ref)).sort();
      for (const ref of removed) touched.add(ref);
      for (const refs of chunk(removed, IN_LIST_SIZE)) {
        await tx('entities')
          .whereIn('entity_ref', refs)
          .whereNull('removed_at')
          .update({ removed_at: now, updated_at: now });
        // Removed entities stop counting; their tests, reviews and incidents stay.
        await tx('applicability').whereIn('entity_ref', refs).delete();
      }

      const { pairCount, changed } = await this.replaceApplicability(
        tx,
        entities,
        controlRefs,
      );
      for (const ref of changed) touched.add(ref);

      const cadenceChanged = controls.filter(
        control => previousCadences.get(control.ref) !== control.cadence,
      );
      for (const control of cadenceChanged) {
        for (const ref of await recomputeDueDates(tx, control)) {
          touched.add(ref);
        }
      }
      await markCountsStale(tx, touched);

      return {
        entityCount: entities.length,
        controlCount: controls.length,
        pairCount,
        removedEntityCount: removed.length,
      };
    });
  }

  /**
   * Rewrites the applicability of the entities whose control set changed,
   * and returns those entities.
   */
  private async replaceApplicability(
    tx: Knex.Transaction,
    entities: StoredEntity[],
    knownControls: Set<string>,
  ): Promise<{ pairCount: number; changed: string[] }> {
    // Per entity: control ref → the entity it is inherited from, or null.
    const existing = new Map<string, Map<string, string | null>>();
    for (const row of await tx('applicability').select(
      'entity_ref',
      'control_ref',
      'inherited_from',
    )) {
      const pairs = existing.get(row.entity_ref) ?? new Map();
      pairs.set(row.control_ref, row.inherited_from ?? null);
      existing.set(row.entity_ref, pairs);
    }

    let pairCount = 0;
    const changed: string[] = [];
    const replaced: string[] = [];
    const inserts: Array<{
      entity_ref: string;
      control_ref: string;
      inherited_from: string | null;
    }> = [];
    for (const entity of entities) {
      const wanted = new Map(
        entity.controlRefs
          .filter(ref => knownControls.has(ref))
          .map(ref => [ref, entity.inheritedFrom?.[ref] ?? null]),
      );
      pairCount += wanted.size;
      const current = existing.get(entity.entityRef) ?? new Map();
      const same =
        current.size === wanted.size &&
        [...wanted].every(
          ([ref, from]) => current.has(ref) && current.get(ref) === from,
        );
      if (same) continue;
      changed.push(entity.entityRef);
      if (current.size > 0) replaced.push(entity.entityRef);
      for (const [controlRef, from] of [...wanted].sort(byKey(([r]) => r))) {
        inserts.push({
          entity_ref: entity.entityRef,
          control_ref: controlRef,
          inherited_from: from,
        });
      }
    }

    for (const refs of chunk(replaced, IN_LIST_SIZE)) {
      await tx('applicability').whereIn('entity_ref', refs).delete();
    }
    for (const rows of chunkRows(inserts)) {
      // Ignore rows another replica wrote meanwhile: the result is the same.
      await tx('applicability')
        .insert(rows)
        .onConflict(['entity_ref', 'control_ref'])
        .ignore();
    }
    return { pairCount, changed };
  }

  async listControls(): Promise<ControlListItem[]> {
    const now = Date.now();
    const controls = await this.db<ControlRow>('controls').orderBy(
      'control_ref',
    );
    const statusRows = await this.db
      .from(pairStatusQuery(this.db, { now }).as('ps'))
      .groupBy('control_ref', 'status')
      .select('control_ref', 'status')
      .count({ count: '*' });
    const countsByControl = new Map<string, ControlStatusCounts>();
    for (const row of statusRows) {
      const counts =
        countsByControl.get(row.control_ref) ?? emptyControlCounts();
      counts[row.status as ControlStatus] = Number(row.count);
      countsByControl.set(row.control_ref, counts);
    }
    return controls.map(row => {
      const counts =
        countsByControl.get(row.control_ref) ?? emptyControlCounts();
      return {
        ...rowToControl(row),
        applicableCount: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
      };
    });
  }

  async getControlCoverage(options: {
    controlRef: string;
    now: Date;
  }): Promise<ControlCoverage | undefined> {
    const control = await this.db<ControlRow>('controls')
      .where('control_ref', options.controlRef)
      .first();
    if (!control) return undefined;
    const now = options.now.getTime();
    const rows: Array<{
      entity_ref: string;
      title: string | null;
      owner: string | null;
      tested_at: DbMillis | null;
      result: string | null;
      due_at: DbMillis | null;
      retest_after: DbMillis | null;
      status: ControlStatus;
    }> = await joinPairState(
      this.db,
      this.db('applicability as a').join(
        'entities as e',
        'e.entity_ref',
        'a.entity_ref',
      ),
      { now, controlRef: options.controlRef },
    )
      .whereNull('e.removed_at')
      .where('a.control_ref', options.controlRef)
      .orderBy('a.entity_ref')
      .select(
        'a.entity_ref',
        'e.title',
        'e.owner',
        'lt.tested_at',
        'lt.result',
        'lt.due_at',
        'rt.retest_after',
        this.db.raw('? AS ??', [controlStatusSql(this.db, now), 'status']),
      );
    return {
      control: rowToControl(control),
      entities: rows.map(row => ({
        entityRef: row.entity_ref,
        title: optional(row.title),
        owner: optional(row.owner),
        status: row.status,
        lastTestedAt: toOptionalIso(row.tested_at),
        // As in posture: a test that did not pass is due again now, and
        // so is a retest a post-incident review requires.
        nextDueAt:
          row.result === 'pass' &&
          !rowRetestRequired({
            retest_after: row.retest_after,
            last_result: row.result,
            last_tested_at: row.tested_at,
          })
            ? toOptionalIso(row.due_at)
            : undefined,
      })),
    };
  }

  async getEntity(entityRef: string): Promise<StoredEntity | undefined> {
    const [entity] = await this.getEntities([entityRef]);
    return entity;
  }

  async getControls(controlRefs: string[]): Promise<ControlSummary[]> {
    const controls: ControlSummary[] = [];
    for (const refs of chunk([...new Set(controlRefs)], IN_LIST_SIZE)) {
      const rows = await this.db<ControlRow>('controls').whereIn(
        'control_ref',
        refs,
      );
      controls.push(...rows.map(rowToControl));
    }
    return controls;
  }

  async getEntities(entityRefs: string[]): Promise<StoredEntity[]> {
    const entities: StoredEntity[] = [];
    for (const refs of chunk([...new Set(entityRefs)], IN_LIST_SIZE)) {
      const [rows, pairs] = await Promise.all([
        this.db<EntityRow>('entities')
          .whereIn('entity_ref', refs)
          .whereNull('removed_at')
          .orderBy('entity_ref'),
        this.db('applicability')
          .whereIn('entity_ref', refs)
          .orderBy(['entity_ref', 'control_ref'])
          .select('entity_ref', 'control_ref', 'inherited_from'),
      ]);
      const controlRefs = new Map<string, string[]>();
      const inheritedFrom = new Map<string, Record<string, string>>();
      for (const pair of pairs) {
        const list = controlRefs.get(pair.entity_ref);
        if (list) list.push(pair.control_ref);
        else controlRefs.set(pair.entity_ref, [pair.control_ref]);
        if (pair.inherited_from) {
          const inherited = inheritedFrom.get(pair.entity_ref) ?? {};
          inherited[pair.control_ref] = pair.inherited_from;
          inheritedFrom.set(pair.entity_ref, inherited);
        }
      }
      for (const row of rows) {
        entities.push({
          entityRef: row.entity_ref,
          kind: row.kind,
          title: optional(row.title),
          owner: optional(row.owner),
          system: optional(row.system),
          domain: optional(row.domain),
          riskTier: Number(row.risk_tier),
          controlRefs: controlRefs.get(row.entity_ref) ?? [],
          ...(inheritedFrom.has(row.entity_ref) && {
            inheritedFrom: inheritedFrom.get(row.entity_ref),
          }),
        });
      }
    }
    return entities;
  }
}
