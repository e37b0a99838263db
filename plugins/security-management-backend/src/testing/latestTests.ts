import {
  addDuration,
  ControlSummary,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { byKey, chunk, chunkRows, DbMillis } from '../lib/rows';
import { LatestTestRow, TestRecordRow } from './rows';

/*
 * latest_tests holds the newest test of each (entity, control) pair with
 * its due date, which posture reads. Test ingest moves it forward; the
 * catalog sync recomputes due dates when a control's cadence changes.
 *
 * "Newest" is one order everywhere: the latest tested-at, then the latest
 * recorded-at, then the greatest id; the test history lists records in it.
 */

/** Due date of a test, or null while the control (and so its cadence) is unknown. */
function dueAtOf(testedAt: DbMillis, cadence: string | undefined) {
  return cadence === undefined
    ? null
    : toMillis(addDuration(Number(testedAt), cadence));
}

function pairKey(entityRef: string, controlRef: string): string {
  return JSON.stringify([entityRef, controlRef]);
}

/** Whether test record a comes after b in the one order of tests. */
export function isNewerTest(
  a: Pick<TestRecordRow, 'tested_at' | 'recorded_at' | 'id'>,
  b: Pick<TestRecordRow, 'tested_at' | 'recorded_at' | 'id'>,
): boolean {
  if (Number(a.tested_at) !== Number(b.tested_at)) {
    return Number(a.tested_at) > Number(b.tested_at);
  }
  if (Number(a.recorded_at) !== Number(b.recorded_at)) {
    return Number(a.recorded_at) > Number(b.recorded_at);
  }
  return a.id > b.id;
}

/**
 * The condition under which an upsert's `excluded` row replaces the
 * latest_tests row: it is newer in the one order of tests.
 */
const NEWER_THAN_STORED = `latest_tests.tested_at < excluded.tested_at
  OR (latest_tests.tested_at = excluded.tested_at
    AND (latest_tests.recorded_at IS NULL
      OR latest_tests.recorded_at < excluded.recorded_at
      OR (latest_tests.recorded_at = excluded.recorded_at
        AND latest_tests.record_id < excluded.record_id)))`;

/**
 * Moves latest_tests forward to the new records; a row is only replaced by
 * a newer test (see {@link isNewerTest}), so the outcome does not depend on
 * insert order.
 */
export async function advanceLatestTests(
  tx: Knex.Transaction,
  options: { created: TestRecordRow[]; cadences: Map<string, string> },
): Promise<void> {
  const { created, cadences } = options;
  const newest = new Map<string, TestRecordRow>();
  for (const row of created) {
    const key = pairKey(row.entity_ref, row.control_ref);
    const current = newest.get(key);
    if (!current || isNewerTest(row, current)) {
      newest.set(key, row);
    }
  }
  const latest: LatestTestRow[] = [...newest.entries()]
    .sort(byKey(([key]) => key))
    .map(([, row]) => ({
      entity_ref: row.entity_ref,
      control_ref: row.control_ref,
      record_id: row.id,
      result: row.result,
      tested_at: row.tested_at,
      recorded_at: row.recorded_at,
      due_at: dueAtOf(row.tested_at, cadences.get(row.control_ref)),
      evidence_url: row.evidence_url,
    }));
  for (const part of chunkRows(latest)) {
    await tx('latest_tests')
      .insert(part)
      .onConflict(['entity_ref', 'control_ref'])
      .merge([
        'record_id',
        'result',
        'tested_at',
        'recorded_at',
        'due_at',
        'evidence_url',
      ])
      .whereRaw(NEWER_THAN_STORED);
  }
}

/**
 * Sets due_at of the latest tests of a control after its cadence changed;
 * returns the entities of those tests.
 */
export async function recomputeDueDates(
  tx: Knex.Transaction,
  control: ControlSummary,
): Promise<string[]> {
  const rows = await tx<LatestTestRow>('latest_tests')
    .where('control_ref', control.ref)
    .select('entity_ref', 'tested_at')
    .orderBy('entity_ref');
  for (const part of chunk(rows, 400)) {
    const cases = part.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
    const bindings = part.flatMap(row => [
      row.entity_ref,
      dueAtOf(row.tested_at, control.cadence),
    ]);
    await tx('latest_tests')
      .where('control_ref', control.ref)
      .whereIn(
        'entity_ref',
        part.map(row => row.entity_ref),
      )
      .update({
        due_at: tx.raw(`CASE ?? ${cases} END`, ['entity_ref', ...bindings]),
      });
  }
  return rows.map(row => row.entity_ref);
}
