import { CONTROL_STATUSES } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { chunk, chunkRows, IN_LIST_SIZE } from '../lib/rows';
import { uncountedPostureQuery } from './postureSql';

/*
 * The per-entity counts cache (posture_counts) that roll-ups read. Every
 * write that can change an entity's counts marks it stale in its own
 * transaction, whichever folder's store makes the write.
 */

/**
 * Marks the cached counts of entities as out of date, inside the writer's
 * transaction: a recompute that read the data before this write then
 * finds the version changed and leaves the row stale (see
 * {@link refreshPostureCounts}). Rows are written in key order, last in
 * every writer, so that writers and recomputes take the row locks in one
 * order.
 */
export async function markCountsStale(
  tx: Knex.Transaction,
  entityRefs: Iterable<string>,
): Promise<void> {
  const refs = new Set(entityRefs);
  // The entities that inherit a control from one of these take its status
  // from that entity's tests and exceptions: their counts change with it.
  for (const part of chunk([...refs], IN_LIST_SIZE)) {
    for (const row of await tx('applicability')
      .whereIn('inherited_from', part)
      .distinct('entity_ref')) {
      refs.add(row.entity_ref);
    }
  }
  const rows = [...refs].sort().map(ref => ({ entity_ref: ref, version: 1 }));
  for (const part of chunkRows(rows)) {
    await tx('posture_counts')
      .insert(part)
      .onConflict('entity_ref')
      .merge({ version: tx.raw('?? + 1', ['posture_counts.version']) });
  }
}

/**
 * Recomputes, in one statement, the cached counts of the entities whose
 * row is missing, stale or not valid at now, from the same status SQL as
 * every other read. A row is only written if its version is still the one
 * the statement read: a write that committed after the statement's
 * snapshot has bumped it (or holds its lock until it has, and
 * PostgreSQL's ON CONFLICT re-checks the latest row), so the row stays
 * stale rather than becoming wrong. Two replicas recomputing at once take
 * the row locks in entity_ref order and both write the same counts.
 */
export async function refreshPostureCounts(
  db: Knex,
  now: number,
): Promise<void> {
  const { sql, bindings } = uncountedPostureQuery(db, { now }).toSQL();
  const columns = [
    'entity_ref',
    ...CONTROL_STATUSES,
    'valid_from',
    'valid_until',
    'version',
  ];
  const updates = [
    ...CONTROL_STATUSES,
    'valid_from',
    'valid_until',
    'counted_version',
  ];
  // With nothing to recompute the statement takes a few milliseconds, but
  // its estimates (every entity) make PostgreSQL spend ~40 ms compiling it.
  // `WHERE true` resolves SQLite's ambiguity between a join's ON and the
  // upsert's ON CONFLICT.
  await withPlanner({
    db,
    settings: ['jit = off'],
    run: client =>
      client.raw(
        `INSERT INTO posture_counts (${columns.join(', ')}, counted_version)
      SELECT ${columns.join(', ')}, version FROM (${sql}) AS counted
      WHERE true ORDER BY entity_ref
      ON CONFLICT (entity_ref) DO UPDATE SET ${updates
        .map(column => `${column} = excluded.${column}`)
        .join(', ')}
      WHERE posture_counts.version = excluded.version`,
        bindings,
      ),
  });
}

/**
 * Runs queries with PostgreSQL planner settings, in a transaction so that
 * they end with it; on SQLite, as they are.
 */
export async function withPlanner<T>(options: {
  db: Knex;
  settings: string[];
  run: (client: Knex) => Promise<T>;
}): Promise<T> {
  const { db, settings, run } = options;
  if (db.client.dialect !== 'postgresql') return run(db);
  return db.transaction(async tx => {
    for (const setting of settings) await tx.raw(`SET LOCAL ${setting}`);
    return run(tx);
  });
}
