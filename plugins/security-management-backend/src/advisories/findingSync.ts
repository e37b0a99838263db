import {
  AdvisoryMatch,
  AdvisorySeverity,
  ComponentSource,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { chunk, chunkRows, IN_LIST_SIZE } from '../lib/rows';
import { FindingRow, SourceRow, sourceToRow } from './findingRows';
import { ParsedAdvisory } from './matching';

/** One advisory that matches an entity now, and why. */
export interface CurrentMatch {
  advisoryId: string;
  severity: AdvisorySeverity;
  kev?: ParsedAdvisory['knownExploited'];
  /** The due date of a finding first seen now (millis). */
  dueAt: number;
  /** CISA's due date, which an existing finding's due date moves up to. */
  kevDueAt?: number;
  matches: AdvisoryMatch[];
}

/** What one read of an entity's components found. */
export interface EntityMatchResult {
  entityRef: string;
  title?: string;
  owner?: string;
  sources: ComponentSource[];
  current: CurrentMatch[];
  /**
   * False when a source could not be read: what it holds is unknown, so no
   * finding is resolved for want of a match.
   */
  complete: boolean;
}

/** A finding that one sync opened (or reopened). */
export interface OpenedFinding {
  entityRef: string;
  advisoryId: string;
  knownExploited: boolean;
}

const SYSTEM = 'security-management:advisory-matching';

/** The columns of a finding row and their PostgreSQL types. */
const FINDING_COLUMN_TYPES: Record<keyof FindingRow, string> = {
  id: 'text',
  entity_ref: 'text',
  entity_title: 'text',
  owner: 'text',
  advisory_id: 'text',
  severity: 'text',
  known_exploited: 'boolean',
  kev: 'text',
  status: 'text',
  justification: 'text',
  note: 'text',
  due_at: 'bigint',
  matches: 'text',
  first_seen_at: 'bigint',
  updated_at: 'bigint',
  updated_by: 'text',
  resolved_at: 'bigint',
};
const FINDING_COLUMNS = Object.keys(FINDING_COLUMN_TYPES) as Array<
  keyof FindingRow
>;
const ENTITY_CHUNK = 200;

/**
 * On PostgreSQL, new findings and their 'open' events in one statement:
 * the rows travel as one JSON document (bindings: the rows, the time, the
 * actor), and only the findings the insert returned get an event.
 */
const PG_INSERT_FINDINGS = `
  with inserted as (
    insert into advisory_findings (${FINDING_COLUMNS.join(', ')})
    select ${FINDING_COLUMNS.join(', ')}
    from json_to_recordset(?::json) as r(${FINDING_COLUMNS.map(
      column => `${column} ${FINDING_COLUMN_TYPES[column]}`,
    ).join(', ')})
    on conflict (entity_ref, advisory_id) do nothing
    returning id
  ), opened as (
    insert into advisory_finding_events (finding_id, at, actor, to_status)
    select id, ?, ?, 'open' from inserted
  )
  select id from inserted`;
/** Rows of one such statement: a few megabytes of JSON. */
const PG_INSERT_ROWS = 5000;

function sameMatches(stored: string, current: AdvisoryMatch[]): boolean {
  return stored === JSON.stringify(current);
}

/**
 * The write path of a sync, behind AdvisoryFindingStore: what one read of
 * each entity found becomes its findings, their events and the entity's
 * component sources; entities that left are resolved and forgotten.
 */
export class FindingSync {
  constructor(private readonly db: Knex) {}

  /**
   * Brings the findings of these entities in line with what matches now:
   * new matches open a finding, a finding resolved automatically opens
   * again when it matches again, and a finding nothing matches any more is
   * resolved. Each chunk of entities is one transaction.
   */
  async syncEntities(options: {
    results: EntityMatchResult[];
    now: Date;
  }): Promise<{ opened: OpenedFinding[]; resolved: number }> {
    const opened: OpenedFinding[] = [];
    let resolved = 0;
    for (const part of chunk(options.results, ENTITY_CHUNK)) {
      const outcome = await this.db.transaction(tx =>
        this.#syncChunk(tx, part, options.now),
      );
      opened.push(...outcome.opened);
      resolved += outcome.resolved;
    }
    return { opened, resolved };
  }

  async #syncChunk(
    tx: Knex.Transaction,
    results: EntityMatchResult[],
    now: Date,
  ): Promise<{ opened: OpenedFinding[]; resolved: number }> {
    const at = now.getTime();
    const refs = results.map(result => result.entityRef);
    const existing = await tx<FindingRow>('advisory_findings').whereIn(
      'entity_ref',
      refs,
    );
    const byKey = new Map(
      existing.map(row => [`${row.entity_ref}\n${row.advisory_id}`, row]),
    );
    const inserts: FindingRow[] = [];
    const events: object[] = [];
    const opened: OpenedFinding[] = [];
    let resolved = 0;

    for (const result of results) {
      const seen = new Set<string>();
      for (const match of result.current) {
        const key = `${result.entityRef}\n${match.advisoryId}`;
        seen.add(key);
        const row = byKey.get(key);
        const kev = match.kev ? JSON.stringify(match.kev) : null;
        if (!row) {
          const id = randomUUID();
          inserts.push({
            id,
            entity_ref: result.entityRef,
            entity_title: result.title ?? null,
            owner: result.owner ?? null,
            advisory_id: match.advisoryId,
            severity: match.severity,
            known_exploited: kev !== null,
            kev,
            status: 'open',
            justification: null,
            note: null,
            due_at: match.dueAt,
            matches: JSON.stringify(match.matches),
            first_seen_at: at,
            updated_at: at,
            updated_by: SYSTEM,
            resolved_at: null,
          });
          continue;
        }
        const reopen =
          row.status === 'resolved' && !sameMatches(row.matches, match.matches);
        const dueAt =
          match.kevDueAt !== undefined && match.kevDueAt < Number(row.due_at)
            ? match.kevDueAt
            : Number(row.due_at);
        const changed =
          reopen ||
          !sameMatches(row.matches, match.matches) ||
          row.severity !== match.severity ||
          (row.kev ?? null) !== kev ||
          dueAt !== Number(row.due_at) ||
          (row.owner ?? null) !== (result.owner ?? null) ||
          (row.entity_title ?? null) !== (result.title ?? null);
        if (!changed) continue;
        // A reopening applies only if the finding is still resolved: a
        // person, or another sync, may have changed it since it was read.
        const updated = await tx('advisory_findings')
          .where(reopen ? { id: row.id, status: row.status } : { id: row.id })
          .update({
            entity_title: result.title ?? null,
            owner: result.owner ?? null,
            severity: match.severity,
            known_exploited: kev !== null,
            kev,
            due_at: reopen ? match.dueAt : dueAt,
            matches: JSON.stringify(match.matches),
            ...(reopen
              ? {
                  status: 'open',
                  justification: null,
                  note: 'Matched again',
                  updated_at: at,
                  updated_by: SYSTEM,
                  resolved_at: null,
                }
              : {}),
          });
        if (reopen && updated === 1) {
          events.push({
            finding_id: row.id,
            at,
            actor: SYSTEM,
            from_status: 'resolved',
            to_status: 'open',
            note: 'Matched again',
          });
          opened.push({
            entityRef: result.entityRef,
            advisoryId: match.advisoryId,
            knownExploited: kev !== null,
          });
        }
      }
      for (const row of existing) {
        if (!result.complete) break;
        if (row.entity_ref !== result.entityRef) continue;
        if (seen.has(`${row.entity_ref}\n${row.advisory_id}`)) continue;
        if (row.status === 'resolved') {
          // Resolved by a person while it still matched: it keeps the
          // reasons until they are gone, so that a vulnerable version
          // coming back later is a new match that reopens it.
          if (row.matches !== '[]') {
            await tx('advisory_findings')
              .where({ id: row.id, status: 'resolved' })
              .update({ matches: '[]' });
          }
          continue;
        }
        resolved += await this.#resolve(tx, row, at, events);
      }
    }

    // Another sync of the same entity (the schedule and a CI refresh, or
    // two replicas) may have opened the same finding meanwhile: that one
    // stands, and only the rows inserted here are told and recorded.
    const inserted = await this.#insertFindings(tx, inserts, at);
    for (const row of inserts) {
      if (!inserted.has(row.id)) continue;
      opened.push({
        entityRef: row.entity_ref,
        advisoryId: row.advisory_id,
        knownExploited: row.kev !== null,
      });
    }
    for (const part of chunkRows(events)) {
      await tx('advisory_finding_events').insert(part);
    }
    await tx('advisory_component_sources').whereIn('entity_ref', refs).delete();
    const sources = results.flatMap(result => result.sources.map(sourceToRow));
    for (const part of chunkRows(sources)) {
      await tx('advisory_component_sources')
        .insert(part)
        .onConflict(['entity_ref', 'kind'])
        .merge();
    }
    return { opened, resolved };
  }

  /**
   * Inserts new findings, each with its 'open' event, leaving out those
   * another sync inserted first; returns the ids of those inserted here.
   * On PostgreSQL one statement does both (see PG_INSERT_FINDINGS).
   */
  async #insertFindings(
    tx: Knex.Transaction,
    inserts: FindingRow[],
    at: number,
  ): Promise<Set<string>> {
    const inserted = new Set<string>();
    if (!inserts.length) return inserted;
    if (tx.client.dialect === 'postgresql') {
      for (const part of chunk(inserts, PG_INSERT_ROWS)) {
        const result = await tx.raw(PG_INSERT_FINDINGS, [
          JSON.stringify(part),
          at,
          SYSTEM,
        ]);
        for (const row of result.rows as Array<{ id: string }>) {
          inserted.add(row.id);
        }
      }
      return inserted;
    }
    for (const part of chunkRows(inserts)) {
      await tx('advisory_findings')
        .insert(part)
        .onConflict(['entity_ref', 'advisory_id'])
        .ignore();
    }
    for (const ids of chunk(
      inserts.map(row => row.id),
      IN_LIST_SIZE,
    )) {
      const rows = await tx<FindingRow>('advisory_findings')
        .whereIn('id', ids)
        .select('id');
      for (const row of rows) inserted.add(row.id);
    }
    const events = inserts
      .filter(row => inserted.has(row.id))
      .map(row => ({
        finding_id: row.id,
        at,
        actor: SYSTEM,
        to_status: 'open',
      }));
    for (const part of chunkRows(events)) {
      await tx('advisory_finding_events').insert(part);
    }
    return inserted;
  }

  async #resolve(
    tx: Knex.Transaction,
    row: FindingRow,
    at: number,
    events: object[],
    note = 'No component matches any more',
  ): Promise<number> {
    // Only if nobody changed its status since it was read.
    const updated = await tx('advisory_findings')
      .where({ id: row.id, status: row.status })
      .update({
        status: 'resolved',
        matches: '[]',
        note,
        updated_at: at,
        updated_by: SYSTEM,
        resolved_at: at,
      });
    if (updated !== 1) return 0;
    events.push({
      finding_id: row.id,
      at,
      actor: SYSTEM,
      from_status: row.status,
      to_status: 'resolved',
      note,
    });
    return 1;
  }

  /**
   * Resolves the findings of entities that no longer declare components
   * (or left the catalog), and forgets where their components came from.
   */
  async forgetEntitiesExcept(options: {
    entityRefs: Set<string>;
    now: Date;
  }): Promise<number> {
    const at = options.now.getTime();
    return this.db.transaction(async tx => {
      const open = await tx<FindingRow>('advisory_findings').whereNot(
        'status',
        'resolved',
      );
      const events: object[] = [];
      let resolved = 0;
      for (const row of open) {
        if (options.entityRefs.has(row.entity_ref)) continue;
        resolved += await this.#resolve(
          tx,
          row,
          at,
          events,
          'The entity no longer declares components, or left the catalog',
        );
      }
      for (const part of chunkRows(events)) {
        await tx('advisory_finding_events').insert(part);
      }
      const sourceRefs = await tx<SourceRow>('advisory_component_sources')
        .distinct('entity_ref')
        .then(rows => rows.map(row => row.entity_ref));
      const gone = sourceRefs.filter(ref => !options.entityRefs.has(ref));
      for (const part of chunk(gone, IN_LIST_SIZE)) {
        await tx('advisory_component_sources')
          .whereIn('entity_ref', part)
          .delete();
      }
      const printed = await tx<{ entity_ref: string }>(
        'advisory_entity_fingerprints',
      ).select('entity_ref');
      const forgotten = printed
        .map(row => row.entity_ref)
        .filter(ref => !options.entityRefs.has(ref));
      for (const part of chunk(forgotten, IN_LIST_SIZE)) {
        await tx('advisory_entity_fingerprints')
          .whereIn('entity_ref', part)
          .delete();
      }
      return resolved;
    });
  }
}
