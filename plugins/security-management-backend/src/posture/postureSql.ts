import { CONTROL_STATUSES } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { RETESTS_SQL, retestsQuery } from '../incidents/postIncidentReview';

/*
 * The posture definition of -common (controlStatus, reviewStatus) written as
 * SQL, so lists, filters and roll-ups are computed by the database. The
 * store's tests check these expressions against the -common functions.
 */

/** Entity refs to restrict a query to: a list, or a query selecting them. */
export type EntityRefs = string[] | Knex.QueryBuilder;

/**
 * The entity whose tests and exceptions give an applicability row `a` its
 * status: the one it inherits the control from, else its own.
 */
export const TESTED_ENTITY_SQL = 'COALESCE(a.inherited_from, a.entity_ref)';

/**
 * The (entity, control) pairs with an approved exception expiring after now,
 * once each: left-joined as `ax`, it replaces an EXISTS per pair, which the
 * databases run as a lookup per row. Restricted to entities, it keeps the
 * exceptions of the entities they inherit controls from too.
 */
function activeExceptionsQuery(
  db: Knex,
  options: { now: number; entityRefs?: EntityRefs; controlRef?: string },
): Knex.QueryBuilder {
  const query = db('exceptions')
    .where('status', 'approved')
    .where('expires_at', '>', options.now)
    .groupBy('entity_ref', 'control_ref')
    .select('entity_ref', 'control_ref');
  const { entityRefs } = options;
  if (entityRefs) {
    query.where(scope =>
      scope
        .whereIn('entity_ref', entityRefs)
        .orWhereIn(
          'entity_ref',
          db('applicability')
            .whereIn('entity_ref', entityRefs)
            .whereNotNull('inherited_from')
            .select('inherited_from'),
        ),
    );
  }
  if (options.controlRef) query.where('control_ref', options.controlRef);
  return query;
}

/**
 * Left-joins to the applicability rows `a` of a query their latest test
 * `lt` and active exception `ax`, which {@link controlStatusSql} reads:
 * those of the entity a row inherits its control from, if it does.
 */
export function joinPairState(
  db: Knex,
  query: Knex.QueryBuilder,
  options: { now: number; entityRefs?: EntityRefs; controlRef?: string },
): Knex.QueryBuilder {
  return (
    query
      .leftJoin('latest_tests as lt', join =>
        join
          .on('lt.entity_ref', db.raw(TESTED_ENTITY_SQL))
          .andOn('lt.control_ref', 'a.control_ref'),
      )
      .leftJoin(activeExceptionsQuery(db, options).as('ax'), join =>
        join
          .on('ax.entity_ref', db.raw(TESTED_ENTITY_SQL))
          .andOn('ax.control_ref', 'a.control_ref'),
      )
      // The retest post-incident reviews require of the control (`rt`).
      .leftJoin(retestsQuery(db), 'rt.control_ref', 'a.control_ref')
  );
}

/**
 * -common's controlStatus as SQL over an active exception `ax` and a latest
 * test `lt` (see {@link joinPairState}): an approved exception expiring
 * after now wins; then no test is untested; any result but pass is failing;
 * a due date at or before now is overdue. `lt.due_at` is tested_at +
 * cadence, computed in JS on write. A pass tested before the retest a
 * post-incident review requires (`rt`, see isRetestRequired) is overdue.
 */
const CONTROL_STATUS_CASE = `CASE
      WHEN ax.entity_ref IS NOT NULL THEN 'excepted'
      WHEN lt.record_id IS NULL THEN 'untested'
      WHEN lt.result <> 'pass' THEN 'failing'
      WHEN lt.due_at <= ? THEN 'overdue'
      WHEN rt.retest_after IS NOT NULL AND lt.tested_at <= rt.retest_after
        THEN 'overdue'
      ELSE 'passing'
    END`;

/** {@link CONTROL_STATUS_CASE} with its binding. */
export function controlStatusSql(db: Knex, now: number): Knex.Raw {
  return db.raw(CONTROL_STATUS_CASE, [now]);
}

/**
 * One column per control status counting the rows of a `status` column in
 * it, for queries grouped by entity.
 */
function statusCountColumns(db: Knex): Knex.Raw[] {
  return CONTROL_STATUSES.map(status =>
    db.raw('SUM(CASE WHEN ?? = ? THEN 1 ELSE 0 END) AS ??', [
      'status',
      status,
      status,
    ]),
  );
}

/**
 * One row per applicable (entity, control) of an entity still in the
 * catalog, with its status and latest test: `a`, `e`, `lt`, `ax` are in
 * scope.
 * `keyColumn` adds that entity column as `key`, for roll-ups.
 */
export function pairStatusQuery(
  db: Knex,
  options: { now: number; entityRefs?: EntityRefs; keyColumn?: string },
): Knex.QueryBuilder {
  const query = joinPairState(
    db,
    db('applicability as a').join(
      'entities as e',
      'e.entity_ref',
      'a.entity_ref',
    ),
    options,
  )
    .whereNull('e.removed_at')
    .select(
      'a.entity_ref',
      'a.control_ref',
      db.raw('? AS ??', [controlStatusSql(db, options.now), 'status']),
    );
  if (options.keyColumn) {
    query.select(db.ref(`e.${options.keyColumn}`).as('key'));
  }
  if (options.entityRefs) query.whereIn('a.entity_ref', options.entityRefs);
  return query;
}

/**
 * -common's reviewStatus as SQL over a next-due-at column (bound three
 * times as an identifier), now, the columns of when a change requiring a
 * review was last seen and when the latest review was done (a NULL in
 * either is no change since), and now + the due-soon window.
 */
const REVIEW_STATUS_CASE = `CASE
          WHEN ?? IS NULL THEN 'never-reviewed'
          WHEN ?? <= ? THEN 'overdue'
          WHEN ?? > ?? THEN 'review-required'
          WHEN ?? <= ? THEN 'due-soon'
          ELSE 'current'
        END`;

/** The table of changes seen per entity, left-joined as `rf`. */
export const REVIEW_FACTS_JOIN = [
  'review_facts as rf',
  'rf.entity_ref',
] as const;

/** {@link REVIEW_STATUS_CASE} over a next-due column and `rf.changed_at`. */
export function reviewStatusSql(
  db: Knex,
  options: {
    column: string;
    reviewedColumn: string;
    now: number;
    dueSoonAt: number;
  },
): Knex.Raw {
  const { column, reviewedColumn, now, dueSoonAt } = options;
  return db.raw(REVIEW_STATUS_CASE, [
    column,
    column,
    now,
    'rf.changed_at',
    reviewedColumn,
    column,
    dueSoonAt,
  ]);
}

/** The latest review of each entity (by reviewed_at). */
export function latestReviewQuery(
  db: Knex,
  options: { entityRefs?: string[] } = {},
): Knex.QueryBuilder {
  const ranked = db('reviews').select(
    'entity_ref',
    'reviewed_at',
    'outcome',
    'next_due_at',
    db.raw(
      'ROW_NUMBER() OVER (PARTITION BY ?? ORDER BY ?? DESC, ?? DESC) AS ??',
      ['entity_ref', 'reviewed_at', 'id', 'rn'],
    ),
  );
  if (options.entityRefs) ranked.whereIn('entity_ref', options.entityRefs);
  return db
    .from(ranked.as('ranked'))
    .where('rn', 1)
    .select('entity_ref', 'reviewed_at', 'outcome', 'next_due_at');
}

/**
 * A query over the CTE `posture`: one row per entity still in the catalog,
 * with its counts of controls by status (columns named after the statuses),
 * its latest review and review status. Callers add select, where, order and
 * paging. Open incidents are not here: they are counted per caller, with
 * the caller's permission filter (see openIncidents.ts).
 */
export function postureQuery(
  db: Knex,
  options: { now: number; dueSoonAt: number; entityRefs?: string[] },
): Knex.QueryBuilder {
  const { now, dueSoonAt, entityRefs } = options;

  const controlCounts = db
    .from('pair_status')
    .groupBy('entity_ref')
    .select('entity_ref', ...statusCountColumns(db));

  const posture = db('entities as e')
    .leftJoin('control_counts as cc', 'cc.entity_ref', 'e.entity_ref')
    .leftJoin('latest_review as lr', 'lr.entity_ref', 'e.entity_ref')
    .leftJoin(...REVIEW_FACTS_JOIN, 'e.entity_ref')
    .whereNull('e.removed_at')
    .select(
      'e.entity_ref',
      'e.kind',
      'e.title',
      'e.owner',
      'e.system',
      'e.domain',
      'e.risk_tier',
      ...CONTROL_STATUSES.map(status =>
        db.raw('COALESCE(??, 0) AS ??', [`cc.${status}`, status]),
      ),
      db.ref('lr.reviewed_at').as('last_reviewed_at'),
      db.ref('lr.outcome').as('last_outcome'),
      db.ref('lr.next_due_at').as('review_due_at'),
      // -common's reviewStatus; dueSoonAt = now + the due-soon window.
      db.raw('? AS ??', [
        reviewStatusSql(db, {
          column: 'lr.next_due_at',
          reviewedColumn: 'lr.reviewed_at',
          now,
          dueSoonAt,
        }),
        'review_status',
      ]),
    );
  if (entityRefs) posture.whereIn('e.entity_ref', entityRefs);

  // The aggregates are materialized so that each is computed once: inlined,
  // PostgreSQL with stale statistics may recompute them for every entity.
  return db
    .with('pair_status', pairStatusQuery(db, { now, entityRefs }))
    .withMaterialized('control_counts', controlCounts)
    .withMaterialized('latest_review', latestReviewQuery(db, { entityRefs }))
    .with('posture', posture)
    .from('posture');
}

/**
 * Whether a posture_counts row `pc` holds the counts at now: no write has
 * bumped its version since it was computed, and no due date or exception
 * expiry lies between its computation and now. False for a missing row.
 */
export function freshCountsSql(db: Knex, now: number): Knex.Raw {
  return db.raw(
    `(pc.counted_version IS NOT NULL AND pc.counted_version = pc.version
      AND (pc.valid_from IS NULL OR pc.valid_from <= ?)
      AND (pc.valid_until IS NULL OR pc.valid_until > ?))`,
    [now, now],
  );
}

/**
 * The status counts of each entity still in the catalog whose
 * posture_counts row is missing or not fresh at now, computed from its pairs
 * with {@link pairStatusQuery}. Beside the counts:
 * `valid_from` and `valid_until`, the instants around now at which one of
 * its statuses changes by time alone (any due date of its pairs, any expiry
 * of its approved exceptions: a superset of the real changes, which only
 * makes the row expire early), and `version`, its row's version as read.
 */
export function uncountedPostureQuery(
  db: Knex,
  options: { now: number },
): Knex.QueryBuilder {
  const { now } = options;
  const uncounted = db('entities as e')
    .leftJoin('posture_counts as pc', 'pc.entity_ref', 'e.entity_ref')
    .whereNull('e.removed_at')
    .whereRaw('NOT ?', [freshCountsSql(db, now)])
    .select(
      'e.entity_ref',
      db.raw('COALESCE(??, 0) AS ??', ['pc.version', 'version']),
    );
  const scope = db('uncounted').select('entity_ref');

  const pairCounts = db
    .from(
      pairStatusQuery(db, { now, entityRefs: scope })
        .select('lt.due_at')
        .as('ps'),
    )
    .groupBy('entity_ref')
    .select(
      'entity_ref',
      ...statusCountColumns(db),
      db.raw('MAX(CASE WHEN ?? <= ? THEN ?? END) AS ??', [
        'due_at',
        now,
        'due_at',
        'changed_at',
      ]),
      db.raw('MIN(CASE WHEN ?? > ? THEN ?? END) AS ??', [
        'due_at',
        now,
        'due_at',
        'changes_at',
      ]),
    );
  // Approved exceptions of the entities, and of the entities they inherit
  // a control from on that control.
  const exceptionExpiries = db('exceptions')
    .where('status', 'approved')
    .whereIn('entity_ref', scope)
    .select('entity_ref', 'expires_at')
    .unionAll(
      db('applicability as ia')
        .join('exceptions as ix', join =>
          join
            .on('ix.entity_ref', 'ia.inherited_from')
            .andOn('ix.control_ref', 'ia.control_ref'),
        )
        .where('ix.status', 'approved')
        .whereIn('ia.entity_ref', scope)
        .select('ia.entity_ref', 'ix.expires_at'),
    );
  const expiries = db
    .from(exceptionExpiries.as('xe'))
    .groupBy('entity_ref')
    .select(
      'entity_ref',
      db.raw('MAX(CASE WHEN ?? <= ? THEN ?? END) AS ??', [
        'expires_at',
        now,
        'expires_at',
        'changed_at',
      ]),
      db.raw('MIN(CASE WHEN ?? > ? THEN ?? END) AS ??', [
        'expires_at',
        now,
        'expires_at',
        'changes_at',
      ]),
    );

  return db
    .withMaterialized('uncounted', uncounted)
    .with('pair_counts', pairCounts)
    .with('expiries', expiries)
    .from('uncounted as u')
    .leftJoin('pair_counts as c', 'c.entity_ref', 'u.entity_ref')
    .leftJoin('expiries as x', 'x.entity_ref', 'u.entity_ref')
    .select(
      'u.entity_ref',
      ...CONTROL_STATUSES.map(status =>
        db.raw('COALESCE(??, 0) AS ??', [`c.${status}`, status]),
      ),
      // The later of the two (or the one that is not null).
      db.raw('CASE WHEN ?? IS NULL OR ?? >= ?? THEN ?? ELSE ?? END AS ??', [
        'x.changed_at',
        'c.changed_at',
        'x.changed_at',
        'c.changed_at',
        'x.changed_at',
        'valid_from',
      ]),
      // The earlier of the two (or the one that is not null).
      db.raw('CASE WHEN ?? IS NULL OR ?? <= ?? THEN ?? ELSE ?? END AS ??', [
        'x.changes_at',
        'c.changes_at',
        'x.changes_at',
        'c.changes_at',
        'x.changes_at',
        'valid_until',
      ]),
      'u.version',
    );
}

/**
 * One entity still in the catalog with its latest review (the newest by
 * reviewed_at, then id), the review's open conditions and review status,
 * and whether a change requiring a review was seen since (its reasons are
 * read only then). Bindings: {@link entityPostureBindings}.
 */
export const ENTITY_POSTURE_SQL = `
  SELECT e.entity_ref, e.kind, e.title, e.owner, e.system, e.domain,
    e.risk_tier,
    lr.reviewed_at AS last_reviewed_at,
    lr.outcome AS last_outcome,
    lr.next_due_at AS review_due_at,
    ${REVIEW_STATUS_CASE} AS review_status,
    CASE WHEN rf.changed_at > lr.reviewed_at THEN 1 ELSE 0 END
      AS review_changed,
    (SELECT COUNT(*) FROM review_conditions rc
      WHERE rc.review_id = lr.id AND rc.status = 'open') AS open_conditions
  FROM entities e
  LEFT JOIN review_facts rf ON rf.entity_ref = e.entity_ref
  LEFT JOIN reviews lr ON lr.entity_ref = e.entity_ref
    AND NOT EXISTS (
      SELECT 1 FROM reviews r
      WHERE r.entity_ref = lr.entity_ref
        AND (r.reviewed_at > lr.reviewed_at
          OR (r.reviewed_at = lr.reviewed_at AND r.id > lr.id))
    )
  WHERE e.entity_ref = ? AND e.removed_at IS NULL`;

/** The bindings of {@link ENTITY_POSTURE_SQL}. */
export function entityPostureBindings(options: {
  entityRef: string;
  now: number;
  dueSoonAt: number;
}): Knex.RawBinding[] {
  const { entityRef, now, dueSoonAt } = options;
  const due = 'lr.next_due_at';
  return [
    due,
    due,
    now,
    'rf.changed_at',
    'lr.reviewed_at',
    due,
    dueSoonAt,
    entityRef,
  ];
}

/**
 * The controls of one entity with their latest tests and statuses (an
 * inherited control's are those of the entity it is inherited from); the
 * active exception shown is the one that lasts longest (then the greatest
 * id). Bindings: now for the exception, now for the status, the entity ref.
 */
export const ENTITY_CONTROLS_SQL = `
  SELECT c.*,
    a.inherited_from,
    lt.result AS last_result,
    lt.tested_at AS last_tested_at,
    lt.due_at AS next_due_at,
    lt.evidence_url AS last_evidence_url,
    ax.id AS exception_id,
    ax.expires_at AS exception_expires_at,
    ax.justification AS exception_justification,
    rt.retest_after,
    ${CONTROL_STATUS_CASE} AS status
  FROM applicability a
  JOIN controls c ON c.control_ref = a.control_ref
  LEFT JOIN latest_tests lt ON lt.entity_ref = ${TESTED_ENTITY_SQL}
    AND lt.control_ref = a.control_ref
  LEFT JOIN exceptions ax ON ax.entity_ref = ${TESTED_ENTITY_SQL}
    AND ax.control_ref = a.control_ref
    AND ax.status = 'approved'
    AND ax.expires_at > ?
    AND NOT EXISTS (
      SELECT 1 FROM exceptions y
      WHERE y.entity_ref = ax.entity_ref
        AND y.control_ref = ax.control_ref
        AND y.status = 'approved'
        AND (y.expires_at > ax.expires_at
          OR (y.expires_at = ax.expires_at AND y.id > ax.id))
    )
  LEFT JOIN (${RETESTS_SQL}) rt ON rt.control_ref = a.control_ref
  WHERE a.entity_ref = ?
  ORDER BY a.control_ref`;
