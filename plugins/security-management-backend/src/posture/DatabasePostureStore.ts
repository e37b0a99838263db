import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ACTIVE_ADVISORY_FINDING_STATUSES,
  addDuration,
  CONTROL_STATUSES,
  ControlPosture,
  ControlStatus,
  ControlStatusCounts,
  EntityPosture,
  emptyControlCounts,
  emptyIncidentCounts,
  IncidentSeverityCounts,
  Page,
  PostureListQuery,
  postureGrade,
  PostureRollup,
  PostureRollupItem,
  postureScore,
  ReviewOutcome,
  ReviewStatus,
  RollupDimension,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { ControlRow, rowToControl } from '../applicability/rows';
import { rowRetestRequired } from '../incidents/postIncidentReview';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import { connectSecurityDatabase } from '../lib/database';
import {
  chunk,
  countOf,
  DbMillis,
  IN_LIST_SIZE,
  optional,
  pageOf,
  rawRows,
  toIso,
  toOptionalIso,
} from '../lib/rows';
import {
  CountRow,
  countOpenIncidentsByEntity,
  countOpenIncidentsByGroup,
  ENTITY_OPEN_INCIDENTS_SQL,
  OpenIncidentCounts,
  tally,
} from './openIncidents';
import { pendingReviewReasons } from '../reviews/pendingReasons';
import { refreshPostureCounts, withPlanner } from './postureCounts';
import {
  ENTITY_CONTROLS_SQL,
  ENTITY_POSTURE_SQL,
  entityPostureBindings,
  freshCountsSql,
  latestReviewQuery,
  postureQuery,
  REVIEW_FACTS_JOIN,
  reviewStatusSql,
  uncountedPostureQuery,
} from './postureSql';
import { PostureStore } from './PostureStore';

const ROLLUP_COLUMNS: Record<RollupDimension, string> = {
  owner: 'owner',
  system: 'system',
  domain: 'domain',
};

type PostureRow = {
  entity_ref: string;
  kind: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  domain: string | null;
  risk_tier: number;
  last_reviewed_at: DbMillis | null;
  last_outcome: string | null;
  review_due_at: DbMillis | null;
  review_status: ReviewStatus;
  /** Only in the single-entity query. */
  open_conditions?: number | string | null;
  /** Only in the single-entity query: 1 when a change was seen since the review. */
  review_changed?: number | string | null;
} & Record<string, unknown>;

type ControlPostureRow = ControlRow & {
  status: ControlStatus;
  last_result: string | null;
  last_tested_at: DbMillis | null;
  next_due_at: DbMillis | null;
  last_evidence_url: string | null;
  exception_id: string | null;
  exception_expires_at: DbMillis | null;
  exception_justification: string | null;
  /** See RETESTS_SQL: set when a post-incident review names the control. */
  retest_after: DbMillis | null;
  inherited_from: string | null;
};

/** Active and overdue advisory findings, by entity ref. */
type AdvisoryCounts = Map<string, { active: number; overdue: number }>;

/**
 * The active advisory findings (open, acknowledged) of these entities and
 * how many are past due, in one grouped query.
 */
async function activeAdvisories(
  db: Knex,
  entityRefs: string[],
  now: number,
): Promise<AdvisoryCounts> {
  const counts: AdvisoryCounts = new Map();
  if (!entityRefs.length) return counts;
  const rows = (await db('advisory_findings')
    .whereIn('entity_ref', entityRefs)
    .whereIn('status', [...ACTIVE_ADVISORY_FINDING_STATUSES])
    .groupBy('entity_ref')
    .select('entity_ref')
    .count({ count: '*' })
    .select(
      db.raw('sum(case when due_at <= ? then 1 else 0 end) as overdue', [now]),
    )) as Array<{ entity_ref: string; count: unknown; overdue: unknown }>;
  for (const row of rows) {
    counts.set(row.entity_ref, {
      active: countOf(row),
      overdue: Number(row.overdue ?? 0),
    });
  }
  return counts;
}

function countsOf(row: Record<string, unknown>): ControlStatusCounts {
  const counts = emptyControlCounts();
  for (const status of CONTROL_STATUSES) counts[status] = Number(row[status]);
  return counts;
}

/**
 * An entity's posture from its row and, when the caller may read
 * incidents, the open ones it may read (none open is all zeros; no access
 * leaves the counts out).
 */
function rowToPosture(
  row: PostureRow,
  openIncidents: IncidentSeverityCounts | undefined,
  advisories: AdvisoryCounts,
): EntityPosture {
  const counts = countsOf(row);
  const active = advisories.get(row.entity_ref) ?? { active: 0, overdue: 0 };
  const score = postureScore({
    counts,
    review: row.review_status,
    overdueAdvisories: active.overdue,
  });
  return {
    entityRef: row.entity_ref,
    title: optional(row.title),
    kind: row.kind,
    owner: optional(row.owner),
    system: optional(row.system),
    domain: optional(row.domain),
    riskTier: Number(row.risk_tier),
    counts,
    review: {
      status: row.review_status,
      lastReviewedAt: toOptionalIso(row.last_reviewed_at),
      lastOutcome: optional(row.last_outcome) as ReviewOutcome | undefined,
      nextDueAt: toOptionalIso(row.review_due_at),
      riskTier: Number(row.risk_tier),
      ...(row.open_conditions === undefined || row.open_conditions === null
        ? {}
        : { openConditions: Number(row.open_conditions) }),
    },
    ...(openIncidents ? { openIncidents } : {}),
    advisories: active,
    score,
    grade: postureGrade(score),
  };
}

/** The counts of an entity, or a group, for a caller who may read some. */
function countsFor(
  counts: OpenIncidentCounts | undefined,
  key: string | null,
): IncidentSeverityCounts | undefined {
  if (!counts) return undefined;
  return counts.get(key) ?? emptyIncidentCounts();
}

/**
 * The knex implementation of {@link PostureStore}: posture is computed by
 * the database at read time; roll-ups read the per-entity counts cache,
 * brought up to date first.
 */
export class DatabasePostureStore implements PostureStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabasePostureStore> {
    return new DatabasePostureStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  /**
   * A raw query that runs on every request. On PostgreSQL it is a named
   * prepared statement, so each connection plans it once: planning these
   * queries costs several times their execution, and at hundreds of
   * requests a second that alone would take a core. Elsewhere, plain raw.
   */
  private async preparedRaw(
    name: string,
    sql: string,
    bindings: readonly Knex.RawBinding[],
  ): Promise<unknown> {
    const query = this.db.raw(sql, bindings);
    if (this.db.client.dialect !== 'postgresql') return query;
    const native = query.toSQL().toNative();
    const connection = await this.db.client.acquireConnection();
    try {
      return await connection.query({
        name,
        text: native.sql,
        values: native.bindings,
      });
    } finally {
      await this.db.client.releaseConnection(connection);
    }
  }

  /**
   * One entity in small indexed queries, run side by side: the entity with
   * its latest review, its controls with their latest tests, active
   * exceptions and statuses, and the open incidents the caller may read.
   * The counts are tallied from those statuses, so they agree with the list
   * by construction.
   */
  async getEntityPosture(options: {
    entityRef: string;
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<EntityPosture | undefined> {
    const { entityRef } = options;
    const { now, dueSoonAt } = this.postureTimes(options);
    const [entityRows, controlRows, openIncidents, advisories] =
      await Promise.all([
        this.preparedRaw(
          'secmgmt_entity_posture',
          ENTITY_POSTURE_SQL,
          entityPostureBindings({ entityRef, now, dueSoonAt }),
        ),
        this.preparedRaw('secmgmt_entity_controls', ENTITY_CONTROLS_SQL, [
          now,
          now,
          entityRef,
        ]),
        this.openIncidentsOf(options.incidentAccess, [entityRef]),
        activeAdvisories(this.db, [entityRef], now),
      ]);
    const [row] = rawRows<PostureRow>(entityRows);
    if (!row) return undefined;
    const counts = emptyControlCounts();
    const controls = rawRows<ControlPostureRow>(controlRows).map(
      (control): ControlPosture => {
        counts[control.status]++;
        const retest = rowRetestRequired(control);
        return {
          control: rowToControl(control),
          status: control.status,
          lastResult: optional(control.last_result) as
            | ControlPosture['lastResult']
            | undefined,
          lastTestedAt: toOptionalIso(control.last_tested_at),
          // A test that did not pass is due again now, not a cadence later;
          // so is a retest a post-incident review requires.
          nextDueAt:
            control.last_result === 'pass' && !retest
              ? toOptionalIso(control.next_due_at)
              : undefined,
          ...(retest ? { retestRequired: true as const } : {}),
          evidenceUrl: optional(control.last_evidence_url),
          exception:
            control.exception_id === null
              ? undefined
              : {
                  id: control.exception_id,
                  expiresAt: toIso(control.exception_expires_at!),
                  justification: control.exception_justification!,
                },
          inheritedFrom: optional(control.inherited_from),
        };
      },
    );
    for (const status of CONTROL_STATUSES) row[status] = counts[status];
    const posture = rowToPosture(
      row,
      countsFor(openIncidents, row.entity_ref),
      advisories,
    );
    // Rare, so read only then: the common answer costs no extra query.
    if (Number(row.review_changed)) {
      const reasons = await pendingReviewReasons(this.db, [row.entity_ref]);
      posture.review.reasons = reasons.get(row.entity_ref);
    }
    return { ...posture, controls };
  }

  async getPostureBatch(options: {
    entityRefs: string[];
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<EntityPosture[]> {
    const byRef = new Map<string, EntityPosture>();
    for (const refs of chunk([...new Set(options.entityRefs)], IN_LIST_SIZE)) {
      const times = this.postureTimes(options);
      const [rows, openIncidents, advisories]: [
        PostureRow[],
        OpenIncidentCounts | undefined,
        AdvisoryCounts,
      ] = await Promise.all([
        postureQuery(this.db, { ...times, entityRefs: refs }).select('*'),
        this.openIncidentsOf(options.incidentAccess, refs),
        activeAdvisories(this.db, refs, times.now),
      ]);
      for (const row of rows) {
        byRef.set(
          row.entity_ref,
          rowToPosture(
            row,
            countsFor(openIncidents, row.entity_ref),
            advisories,
          ),
        );
      }
    }
    return options.entityRefs.flatMap(ref => {
      const posture = byRef.get(ref);
      return posture ? [posture] : [];
    });
  }

  async listPosture(options: {
    query: PostureListQuery;
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<Page<EntityPosture>> {
    const { query } = options;
    const { limit, offset } = pageOf(query);
    const base = postureQuery(this.db, this.postureTimes(options));
    if (query.controlStatus?.length) {
      const statuses = query.controlStatus;
      base.where(group => {
        for (const status of statuses) group.orWhere(status, '>', 0);
      });
    }
    if (query.reviewStatus?.length) {
      base.whereIn('review_status', query.reviewStatus);
    }
    for (const column of ['owner', 'system', 'domain', 'kind'] as const) {
      const value = query[column];
      if (value !== undefined) base.where(column, value);
    }

    const [rows, total] = await Promise.all([
      base
        .clone()
        .select('*')
        .orderByRaw('(?? + ??) DESC, ?? ASC', [
          'failing',
          'overdue',
          'entity_ref',
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    const page = rows as PostureRow[];
    // Counted for the page only, once it is known.
    const refs = page.map(row => row.entity_ref);
    const [openIncidents, advisories] = await Promise.all([
      this.openIncidentsOf(options.incidentAccess, refs),
      activeAdvisories(this.db, refs, options.now.getTime()),
    ]);
    return {
      items: page.map(row =>
        rowToPosture(row, countsFor(openIncidents, row.entity_ref), advisories),
      ),
      totalCount: countOf(total),
    };
  }

  /**
   * Control statuses summed per group from the per-entity counts, brought
   * up to date first; entities counted per group and review status, and
   * the open incidents the caller may read per group, as two more grouped
   * queries. The cache holds no incidents: they are counted per caller.
   */
  async rollup(options: {
    by: RollupDimension;
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<PostureRollup> {
    const column = ROLLUP_COLUMNS[options.by];
    const db = this.db;
    const { now, dueSoonAt } = this.postureTimes(options);

    await refreshPostureCounts(this.db, now);
    // The rows fresh at now, and the rest (those a concurrent write made
    // stale since the refresh) computed from their pairs, in one statement:
    // the sums are exactly those of the pairs in its snapshot.
    const countStatuses = (
      client: Knex,
    ): Promise<Array<Record<string, unknown>>> =>
      client
        .from(
          client('posture_counts as pc')
            .join('entities as e', 'e.entity_ref', 'pc.entity_ref')
            .whereNull('e.removed_at')
            .where(freshCountsSql(client, now))
            .select(client.ref(`e.${column}`).as('key'), ...CONTROL_STATUSES)
            .unionAll(
              client
                .from(uncountedPostureQuery(client, { now }).as('uc'))
                .join('entities as e', 'e.entity_ref', 'uc.entity_ref')
                .select(
                  client.ref(`e.${column}`).as('key'),
                  ...CONTROL_STATUSES.map(status => `uc.${status}`),
                ),
            )
            .as('counted'),
        )
        .groupBy('key')
        .select(
          'key',
          ...CONTROL_STATUSES.map(status =>
            client.raw('SUM(??) AS ??', [status, status]),
          ),
        );
    // PostgreSQL underestimates the fresh rows (version = counted_version)
    // and would look up each entity by index; hash joins are 3× faster.
    const statusQuery = withPlanner({
      db: this.db,
      settings: ['enable_nestloop = off', 'jit = off'],
      run: countStatuses,
    });
    const reviewQuery: Promise<
      Array<{
        key: string | null;
        review_status: ReviewStatus;
        count: DbMillis;
      }>
    > = db
      .from(
        db('entities as e')
          .leftJoin(
            latestReviewQuery(db).as('lr'),
            'lr.entity_ref',
            'e.entity_ref',
          )
          .leftJoin(...REVIEW_FACTS_JOIN, 'e.entity_ref')
          .whereNull('e.removed_at')
          .select(
            db.ref(`e.${column}`).as('key'),
            db.raw('? AS ??', [
              reviewStatusSql(db, {
                column: 'lr.next_due_at',
                reviewedColumn: 'lr.reviewed_at',
                now,
                dueSoonAt,
              }),
              'review_status',
            ]),
          )
          .as('er'),
      )
      .groupBy('key', 'review_status')
      .select('key', 'review_status')
      .count({ count: '*' });
    const access = options.incidentAccess;
    const incidentQuery = access.allowed
      ? countOpenIncidentsByGroup(db, { column, filter: access.filter })
      : Promise.resolve(undefined);
    const [statusRows, reviewRows, openIncidents] = await Promise.all([
      statusQuery,
      reviewQuery,
      incidentQuery,
    ]);

    const groups = new Map<string | null, PostureRollupItem>();
    const groupOf = (key: string | null) => {
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          entityCount: 0,
          counts: emptyControlCounts(),
          review: {
            current: 0,
            'due-soon': 0,
            'review-required': 0,
            overdue: 0,
            'never-reviewed': 0,
          },
          score: null,
        };
        groups.set(key, group);
      }
      return group;
    };
    // Every group has entities, so the entity counts name all groups.
    for (const row of reviewRows) {
      const group = groupOf(row.key);
      group.review[row.review_status] = Number(row.count);
      group.entityCount += Number(row.count);
    }
    for (const row of statusRows) {
      groupOf(row.key as string | null).counts = countsOf(row);
    }
    const items = [...groups.values()];
    for (const item of items) {
      // A group's score is its control coverage only: the review penalty is
      // per entity; review statuses and incidents are counted beside it.
      item.score = postureScore({ counts: item.counts, review: 'current' });
      const incidents = countsFor(openIncidents, item.key);
      if (incidents) item.openIncidents = incidents;
    }
    items.sort((a, b) => {
      if (a.key === b.key) return 0;
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      return a.key < b.key ? -1 : 1;
    });
    return { by: options.by, items };
  }

  /**
   * The open incidents the caller may read on these entities, or undefined
   * when it may read none, so that the counts are left out.
   */
  private async openIncidentsOf(
    access: IncidentReadAccess,
    entityRefs: string[],
  ): Promise<OpenIncidentCounts | undefined> {
    if (!access.allowed) return undefined;
    if (!access.filter && entityRefs.length === 1) {
      const counts: OpenIncidentCounts = new Map();
      const rows = await this.preparedRaw(
        'secmgmt_entity_open_incidents',
        ENTITY_OPEN_INCIDENTS_SQL,
        entityRefs,
      );
      tally(rawRows<CountRow>(rows), counts);
      return counts;
    }
    return countOpenIncidentsByEntity(this.db, {
      entityRefs,
      filter: access.filter,
    });
  }

  private postureTimes(options: { now: Date; reviewDueSoon: string }) {
    const now = options.now.getTime();
    return {
      now,
      dueSoonAt: toMillis(addDuration(now, options.reviewDueSoon)),
    };
  }
}
