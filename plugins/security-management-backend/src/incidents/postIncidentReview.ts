import {
  RemediationAction,
  RemediationActionStatus,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { markCountsStale } from '../posture/postureCounts';
import { chunk, chunkRows, DbMillis, IN_LIST_SIZE, toIso } from '../lib/rows';
import { toOptionalIso } from '../lib/rows';

/*
 * What a post-incident review feeds back: its remediation actions (rows of
 * remediation_actions) and the retests of its failed controls. A retest is
 * not stored: it is derived from the incidents, their failed controls and
 * the latest tests, so that it is right whatever order things happen in.
 */

/**
 * Stands for "still open" in {@link RETESTS_SQL}: later than any instant
 * the API accepts (the end of 9999), so no test is ever after it.
 */
export const RETEST_OPEN = 253402300800000;

/**
 * When incident `alias` last closed: its latest move to closed on the
 * append-only timeline (closed_at keeps the first, for time-to-resolve).
 */
export function lastClosedSql(alias: string): string {
  return `COALESCE((SELECT MAX(ctl.at) FROM incident_timeline ctl
      WHERE ctl.incident_id = ${alias}.id AND ctl.to_status = 'closed'),
    ${alias}.closed_at)`;
}

/**
 * Per control, the instant a pass must be tested after for the retests
 * that post-incident reviews require to be done (see -common's
 * isRetestRequired): the last close of the incidents naming it as failed
 * that have a review or are closed, or {@link RETEST_OPEN} while one of
 * them is open. Controls no such incident names have no row.
 */
export const RETESTS_SQL = `
  SELECT ric.control_ref,
    MAX(CASE WHEN ri.status = 'closed'
      THEN ${lastClosedSql('ri')}
      ELSE ${RETEST_OPEN} END) AS retest_after
  FROM incident_controls ric
  JOIN incidents ri ON ri.id = ric.incident_id
  WHERE ri.review IS NOT NULL OR ri.status = 'closed'
  GROUP BY ric.control_ref`;

/** {@link RETESTS_SQL} as a knex subquery aliased `rt`, to join. */
export function retestsQuery(db: Knex): Knex.QueryBuilder {
  return db
    .from(db.raw(`(${RETESTS_SQL}) rts`))
    .select('control_ref', 'retest_after')
    .as('rt');
}

/**
 * Marks stale the cached posture counts of every entity these controls
 * apply to, in the writer's transaction: their retests just changed.
 */
export async function markControlEntitiesStale(
  tx: Knex.Transaction,
  controlRefs: string[],
): Promise<void> {
  const entityRefs = new Set<string>();
  for (const refs of chunk([...new Set(controlRefs)], IN_LIST_SIZE)) {
    const rows = await tx('applicability')
      .whereIn('control_ref', refs)
      .distinct('entity_ref');
    for (const row of rows) entityRefs.add(row.entity_ref);
  }
  await markCountsStale(tx, entityRefs);
}

export type RemediationActionRow = {
  id: string;
  incident_id: string;
  position: number;
  title: string;
  owner: string | null;
  due_at: DbMillis | null;
  status: string;
  updated_at: DbMillis;
  updated_by: string;
};

export function rowToRemediationAction(
  row: RemediationActionRow,
): RemediationAction {
  return {
    id: row.id,
    incidentId: row.incident_id,
    title: row.title,
    owner: row.owner ?? undefined,
    dueAt: toOptionalIso(row.due_at),
    status: row.status as RemediationActionStatus,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/** The remediation actions of incidents, in review order, by incident id. */
export async function loadRemediationActions(
  db: Knex,
  incidentIds: string[],
): Promise<Map<string, RemediationAction[]>> {
  const actions = new Map<string, RemediationAction[]>();
  for (const part of chunk(incidentIds, IN_LIST_SIZE)) {
    const rows: RemediationActionRow[] = await db('remediation_actions')
      .whereIn('incident_id', part)
      .orderBy(['incident_id', 'position']);
    for (const row of rows) {
      const list = actions.get(row.incident_id) ?? [];
      list.push(rowToRemediationAction(row));
      actions.set(row.incident_id, list);
    }
  }
  return actions;
}

/** A remediation action as a review sends it, validated. */
export interface ReviewActionInput {
  id?: string;
  title: string;
  owner: string;
  dueAt: string;
  status: RemediationActionStatus;
}

/** What writing a review's actions changed, for the timeline. */
export interface ActionChanges {
  added: Array<{ id: string; title: string }>;
  changed: Array<{ id: string; title: string; fields: string[] }>;
  removed: Array<{ id: string; title: string }>;
}

/**
 * Replaces the remediation actions of an incident with a review's list, in
 * the caller's transaction: an action sent with the id of one of this
 * incident's keeps it, others are added, and those left out are removed.
 * `problems` names an id that is not one of this incident's actions.
 */
export async function writeReviewActions(
  tx: Knex.Transaction,
  options: {
    incidentId: string;
    actions: ReviewActionInput[];
    actor: string;
    now: number;
  },
): Promise<{ changes: ActionChanges; problems: string[] }> {
  const { incidentId, actions, actor, now } = options;
  const existing = new Map<string, RemediationActionRow>(
    (
      (await tx('remediation_actions').where(
        'incident_id',
        incidentId,
      )) as RemediationActionRow[]
    ).map(row => [row.id, row]),
  );
  const changes: ActionChanges = { added: [], changed: [], removed: [] };
  const problems: string[] = [];
  const kept = new Set<string>();
  const rows: RemediationActionRow[] = actions.map((action, position) => {
    const dueAt = toMillis(action.dueAt);
    const current =
      action.id === undefined ? undefined : existing.get(action.id);
    if (action.id !== undefined && (!current || kept.has(action.id))) {
      problems.push(
        `remediationActions[${position}].id: '${action.id}' is not an action of this incident's review`,
      );
    }
    const id = current ? current.id : randomUUID();
    kept.add(id);
    const row: RemediationActionRow = {
      id,
      incident_id: incidentId,
      position,
      title: action.title,
      owner: action.owner,
      due_at: dueAt,
      status: action.status,
      updated_at: now,
      updated_by: actor,
    };
    if (!current) {
      changes.added.push({ id, title: action.title });
      return row;
    }
    const fields: string[] = [];
    if (current.title !== row.title) fields.push('title');
    if (current.owner !== row.owner) fields.push('owner');
    if (current.due_at === null || Number(current.due_at) !== dueAt) {
      fields.push('dueAt');
    }
    if (current.status !== row.status) fields.push('status');
    if (fields.length) changes.changed.push({ id, title: row.title, fields });
    // An action that did not change keeps who changed it last.
    return fields.length
      ? row
      : {
          ...row,
          updated_at: current.updated_at,
          updated_by: current.updated_by,
        };
  });
  if (problems.length) return { changes, problems };
  for (const row of existing.values()) {
    if (!kept.has(row.id))
      changes.removed.push({ id: row.id, title: row.title });
  }
  await tx('remediation_actions').where('incident_id', incidentId).delete();
  for (const part of chunkRows(rows)) {
    await tx('remediation_actions').insert(part);
  }
  return { changes, problems };
}

/**
 * -common's isRetestRequired over a row with the pair's latest test and
 * `retest_after` of {@link RETESTS_SQL}.
 */
export function rowRetestRequired(row: {
  retest_after: DbMillis | null;
  last_result: string | null;
  last_tested_at: DbMillis | null;
}): boolean {
  if (row.retest_after === null || row.retest_after === undefined) {
    return false;
  }
  return !(
    row.last_result === 'pass' &&
    row.last_tested_at !== null &&
    Number(row.last_tested_at) > Number(row.retest_after)
  );
}
