import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ACTIVE_ADVISORY_FINDING_STATUSES,
  ExceptionStatus,
  IncidentSeverity,
  IncidentStatus,
  ReviewOutcome,
  SecurityTestMethod,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { IncidentFilter } from '../incidents/IncidentStore';
import { applyIncidentFilter } from '../incidents/incidentFilter';
import { connectSecurityDatabase } from '../lib/database';
import { DbMillis, optional } from '../lib/rows';
import { TESTED_ENTITY_SQL } from '../posture/postureSql';
import {
  CoverageFacts,
  ExceptionFacts,
  IncidentFacts,
  PairFacts,
  PostureFacts,
  ReportEntity,
  ReportStore,
  ReviewFacts,
  TestFacts,
  TestReportScope,
} from './ReportStore';

/** A nullable BIGINT column as millis. */
function millis(value: DbMillis | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/**
 * `ROW_NUMBER() AS rn` over a partition in the one order of tests: the
 * latest tested-at, then the latest recorded-at, then the greatest id (see
 * testing/latestTests.ts), so that 1 is the test the posture reads.
 */
function newestTestFirst(db: Knex, alias: string): Knex.Raw {
  return db.raw(
    'ROW_NUMBER() OVER (PARTITION BY ??, ?? ORDER BY ?? DESC, ?? DESC, ?? DESC) AS ??',
    [
      `${alias}.entity_ref`,
      `${alias}.control_ref`,
      `${alias}.tested_at`,
      `${alias}.recorded_at`,
      `${alias}.id`,
      'rn',
    ],
  );
}

/** Restricts a query over test records or pairs to a test report's scope. */
function inScope(
  query: Knex.QueryBuilder,
  alias: string,
  scope: TestReportScope,
): Knex.QueryBuilder {
  if (scope.controlRef) query.where(`${alias}.control_ref`, scope.controlRef);
  if (scope.entityRef) query.where(`${alias}.entity_ref`, scope.entityRef);
  return query;
}

/**
 * The knex implementation of {@link ReportStore}. Posture as of an instant
 * cannot read latest_tests (the newest test of each pair today), so it
 * ranks the test records tested by then instead, with the index on
 * (entity_ref, control_ref, tested_at).
 */
export class DatabaseReportStore implements ReportStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseReportStore> {
    return new DatabaseReportStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async postureFacts(options: { asOf: number }): Promise<PostureFacts> {
    const [entities, pairs, reviews, advisories] = await Promise.all([
      this.entities(),
      this.pairsAsOf(options.asOf),
      this.reviewsAsOf(options.asOf),
      this.advisoriesAsOf(options.asOf),
    ]);
    return { entities, pairs, reviews, advisories };
  }

  private async entities(): Promise<ReportEntity[]> {
    const rows: Array<{
      entity_ref: string;
      kind: string;
      title: string | null;
      owner: string | null;
      system: string | null;
      domain: string | null;
      risk_tier: number | string;
    }> = await this.db('entities')
      .whereNull('removed_at')
      .orderBy('entity_ref')
      .select(
        'entity_ref',
        'kind',
        'title',
        'owner',
        'system',
        'domain',
        'risk_tier',
      );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      kind: row.kind,
      title: optional(row.title),
      owner: optional(row.owner),
      system: optional(row.system),
      domain: optional(row.domain),
      riskTier: Number(row.risk_tier),
    }));
  }

  private async pairsAsOf(asOf: number): Promise<PairFacts[]> {
    const db = this.db;
    const ranked = db('test_records as t')
      .join('applicability as ta', join =>
        join
          .on('ta.entity_ref', 't.entity_ref')
          .andOn('ta.control_ref', 't.control_ref'),
      )
      .where('t.tested_at', '<=', asOf)
      .select(
        't.entity_ref',
        't.control_ref',
        't.result',
        't.tested_at',
        newestTestFirst(db, 't'),
      );
    // Approved by as-of and not expired at it; `expired` is the stored
    // status of an approved exception once housekeeping saw its expiry.
    const excepted = db('exceptions')
      .whereIn('status', ['approved', 'expired'])
      .where('decided_at', '<=', asOf)
      .where('expires_at', '>', asOf)
      .groupBy('entity_ref', 'control_ref')
      .select(
        'entity_ref',
        'control_ref',
        db.raw('MAX(??) AS ??', ['expires_at', 'expires_at']),
      );
    const rows: Array<{
      entity_ref: string;
      control_ref: string;
      cadence: string;
      result: TestResult | null;
      tested_at: DbMillis | null;
      exception_expires_at: DbMillis | null;
    }> = await db('applicability as a')
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join('controls as c', 'c.control_ref', 'a.control_ref')
      // As in posture, an inherited control's test and exception are
      // those of the entity it is inherited from.
      .leftJoin(db.from(ranked.as('ranked')).where('rn', 1).as('lt'), join =>
        join
          .on('lt.entity_ref', db.raw(TESTED_ENTITY_SQL))
          .andOn('lt.control_ref', 'a.control_ref'),
      )
      .leftJoin(excepted.as('ax'), join =>
        join
          .on('ax.entity_ref', db.raw(TESTED_ENTITY_SQL))
          .andOn('ax.control_ref', 'a.control_ref'),
      )
      .whereNull('e.removed_at')
      .orderBy(['a.entity_ref', 'a.control_ref'])
      .select(
        'a.entity_ref',
        'a.control_ref',
        'c.cadence',
        'lt.result',
        'lt.tested_at',
        db.ref('ax.expires_at').as('exception_expires_at'),
      );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      controlRef: row.control_ref,
      cadence: row.cadence,
      latest:
        row.result === null
          ? undefined
          : { result: row.result, testedAt: Number(row.tested_at) },
      exceptionExpiresAt: millis(row.exception_expires_at),
    }));
  }

  /** The latest review of each entity by as-of (by reviewed_at, then id, as posture reads it). */
  private async reviewsAsOf(asOf: number): Promise<Map<string, ReviewFacts>> {
    const db = this.db;
    const ranked = db('reviews')
      .where('reviewed_at', '<=', asOf)
      .select(
        'entity_ref',
        'reviewed_at',
        'outcome',
        'next_due_at',
        db.raw(
          'ROW_NUMBER() OVER (PARTITION BY ?? ORDER BY ?? DESC, ?? DESC) AS ??',
          ['entity_ref', 'reviewed_at', 'id', 'rn'],
        ),
      );
    const rows: Array<{
      entity_ref: string;
      reviewed_at: DbMillis;
      outcome: ReviewOutcome;
      next_due_at: DbMillis;
    }> = await db
      .from(ranked.as('ranked'))
      .where('rn', 1)
      .select('entity_ref', 'reviewed_at', 'outcome', 'next_due_at');
    // The changes that require a review, as seen by as-of.
    const changes: Array<{ entity_ref: string; changed_at: DbMillis }> =
      await db('review_triggers')
        .where('seen_at', '<=', asOf)
        .groupBy('entity_ref')
        .select(
          'entity_ref',
          db.raw('MAX(??) AS ??', ['seen_at', 'changed_at']),
        );
    const changedAt = new Map(
      changes.map(row => [row.entity_ref, Number(row.changed_at)]),
    );
    return new Map(
      rows.map(row => [
        row.entity_ref,
        {
          reviewedAt: Number(row.reviewed_at),
          outcome: row.outcome,
          nextDueAt: Number(row.next_due_at),
          changedAt: changedAt.get(row.entity_ref),
        },
      ]),
    );
  }

  /**
   * Advisory findings active at as-of by entity: seen by then, and whose
   * latest status change by then left them open or acknowledged. Past due
   * by the finding's due date as stored today.
   */
  private async advisoriesAsOf(
    asOf: number,
  ): Promise<Map<string, { active: number; overdue: number }>> {
    const db = this.db;
    const ranked = db('advisory_finding_events')
      .where('at', '<=', asOf)
      .select(
        'finding_id',
        'to_status',
        db.raw(
          'ROW_NUMBER() OVER (PARTITION BY ?? ORDER BY ?? DESC, ?? DESC) AS ??',
          ['finding_id', 'at', 'id', 'rn'],
        ),
      );
    const rows: Array<{
      entity_ref: string;
      active: DbMillis;
      overdue: DbMillis | null;
    }> = await db('advisory_findings as f')
      .join(ranked.as('ev'), 'ev.finding_id', 'f.id')
      .where('ev.rn', 1)
      .whereIn('ev.to_status', [...ACTIVE_ADVISORY_FINDING_STATUSES])
      .where('f.first_seen_at', '<=', asOf)
      .groupBy('f.entity_ref')
      .select(
        'f.entity_ref',
        db.raw('COUNT(*) AS ??', ['active']),
        db.raw('SUM(CASE WHEN ?? <= ? THEN 1 ELSE 0 END) AS ??', [
          'f.due_at',
          asOf,
          'overdue',
        ]),
      );
    return new Map(
      rows.map(row => [
        row.entity_ref,
        { active: Number(row.active), overdue: Number(row.overdue ?? 0) },
      ]),
    );
  }

  async incidentFacts(options: {
    asOf: number;
    filter?: IncidentFilter;
  }): Promise<IncidentFacts[]> {
    const { asOf, filter } = options;
    const db = this.db;
    // The filter's rules refer to the table by its name, so it is not aliased.
    const base = db('incidents').where('incidents.reported_at', '<=', asOf);
    if (filter) applyIncidentFilter(db, base, filter);
    const ids = () => base.clone().select('incidents.id');
    const [rows, entityRows, transitionRows]: [
      Array<{
        id: string;
        title: string;
        severity: IncidentSeverity;
        reported_at: DbMillis;
        contained_at: DbMillis | null;
        closed_at: DbMillis | null;
      }>,
      Array<{ incident_id: string; entity_ref: string }>,
      Array<{ incident_id: string; at: DbMillis; to_status: IncidentStatus }>,
    ] = await Promise.all([
      base
        .clone()
        .orderBy([
          { column: 'incidents.reported_at', order: 'desc' },
          { column: 'incidents.id', order: 'desc' },
        ])
        .select(
          'incidents.id',
          'incidents.title',
          'incidents.severity',
          'incidents.reported_at',
          'incidents.contained_at',
          'incidents.closed_at',
        ),
      db('incident_entities')
        .whereIn('incident_id', ids())
        .orderBy(['incident_id', 'entity_ref'])
        .select('incident_id', 'entity_ref'),
      db('incident_timeline')
        .whereIn('incident_id', ids())
        .whereNotNull('to_status')
        .where('at', '<=', asOf)
        .orderBy(['incident_id', 'at', 'id'])
        .select('incident_id', 'at', 'to_status'),
    ]);
    const facts = new Map<string, IncidentFacts>(
      rows.map(row => [
        row.id,
        {
          id: row.id,
          title: row.title,
          severity: row.severity,
          reportedAt: Number(row.reported_at),
          containedAt: millis(row.contained_at),
          closedAt: millis(row.closed_at),
          transitions: [],
          affectedEntities: [],
        },
      ]),
    );
    for (const row of entityRows) {
      facts.get(row.incident_id)?.affectedEntities.push(row.entity_ref);
    }
    for (const row of transitionRows) {
      facts
        .get(row.incident_id)
        ?.transitions.push({ at: Number(row.at), to: row.to_status });
    }
    return [...facts.values()];
  }

  async exceptionFacts(options: { asOf: number }): Promise<ExceptionFacts[]> {
    const rows: Array<{
      id: string;
      control_ref: string;
      control_title: string | null;
      entity_ref: string;
      entity_title: string | null;
      status: ExceptionStatus;
      justification: string;
      requested_by: string;
      requested_at: DbMillis;
      decided_by: string | null;
      decided_at: DbMillis | null;
      expires_at: DbMillis;
    }> = await this.db('exceptions as x')
      .leftJoin('controls as c', 'c.control_ref', 'x.control_ref')
      .leftJoin('entities as e', 'e.entity_ref', 'x.entity_ref')
      .where('x.requested_at', '<=', options.asOf)
      .orderBy([
        { column: 'x.requested_at', order: 'desc' },
        { column: 'x.id', order: 'desc' },
      ])
      .select(
        'x.id',
        'x.control_ref',
        this.db.ref('c.title').as('control_title'),
        'x.entity_ref',
        this.db.ref('e.title').as('entity_title'),
        'x.status',
        'x.justification',
        'x.requested_by',
        'x.requested_at',
        'x.decided_by',
        'x.decided_at',
        'x.expires_at',
      );
    return rows.map(row => ({
      id: row.id,
      controlRef: row.control_ref,
      controlTitle: optional(row.control_title),
      entityRef: row.entity_ref,
      entityTitle: optional(row.entity_title),
      status: row.status,
      justification: row.justification,
      requestedBy: row.requested_by,
      requestedAt: Number(row.requested_at),
      decidedBy: optional(row.decided_by),
      decidedAt: millis(row.decided_at),
      expiresAt: Number(row.expires_at),
    }));
  }

  async coverageFacts(options: {
    from: number;
    to: number;
    asOf: number;
  }): Promise<CoverageFacts[]> {
    const { from, to, asOf } = options;
    const db = this.db;
    const inPeriod = db('test_records as t')
      .whereBetween('t.tested_at', [from, to])
      .select(
        't.entity_ref',
        't.control_ref',
        't.result',
        't.tested_at',
        newestTestFirst(db, 't'),
        db.raw('COUNT(*) OVER (PARTITION BY ??, ??) AS ??', [
          't.entity_ref',
          't.control_ref',
          'tests',
        ]),
      );
    const rows: Array<{
      entity_ref: string;
      entity_title: string | null;
      owner: string | null;
      control_ref: string;
      control_title: string;
      result: TestResult | null;
      tested_at: DbMillis | null;
      tests: DbMillis | null;
      ever_tested: DbMillis | boolean;
    }> = await db('applicability as a')
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join('controls as c', 'c.control_ref', 'a.control_ref')
      .leftJoin(db.from(inPeriod.as('ranked')).where('rn', 1).as('p'), join =>
        join
          .on('p.entity_ref', 'a.entity_ref')
          .andOn('p.control_ref', 'a.control_ref'),
      )
      .whereNull('e.removed_at')
      .orderBy(['a.entity_ref', 'a.control_ref'])
      .select(
        'a.entity_ref',
        db.ref('e.title').as('entity_title'),
        'e.owner',
        'a.control_ref',
        db.ref('c.title').as('control_title'),
        'p.result',
        'p.tested_at',
        'p.tests',
        db.raw(
          `CASE WHEN EXISTS (
            SELECT 1 FROM test_records h
            WHERE h.entity_ref = a.entity_ref AND h.control_ref = a.control_ref
              AND h.tested_at <= ?
          ) THEN 1 ELSE 0 END AS ??`,
          [asOf, 'ever_tested'],
        ),
      );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      entityTitle: optional(row.entity_title),
      owner: optional(row.owner),
      controlRef: row.control_ref,
      controlTitle: row.control_title,
      testsInPeriod: Number(row.tests ?? 0),
      lastInPeriod:
        row.result === null
          ? undefined
          : { result: row.result, testedAt: Number(row.tested_at) },
      everTested: Number(row.ever_tested) === 1,
    }));
  }

  async listTests(options: {
    scope: TestReportScope;
    from: number;
    to: number;
    limit: number;
  }): Promise<TestFacts[]> {
    const { scope, from, to, limit } = options;
    const db = this.db;
    const rows: Array<{
      id: string;
      control_ref: string;
      control_title: string | null;
      entity_ref: string;
      entity_title: string | null;
      result: TestResult;
      method: SecurityTestMethod;
      tested_at: DbMillis;
      tester: string;
      evidence_url: string | null;
      notes: string | null;
      external_id: string | null;
      recorded_at: DbMillis;
    }> = await inScope(db('test_records as t'), 't', scope)
      .leftJoin('controls as c', 'c.control_ref', 't.control_ref')
      .leftJoin('entities as e', 'e.entity_ref', 't.entity_ref')
      .whereBetween('t.tested_at', [from, to])
      .orderBy([
        { column: 't.tested_at', order: 'desc' },
        { column: 't.recorded_at', order: 'desc' },
        { column: 't.id', order: 'desc' },
      ])
      .limit(limit)
      .select(
        't.id',
        't.control_ref',
        db.ref('c.title').as('control_title'),
        't.entity_ref',
        db.ref('e.title').as('entity_title'),
        't.result',
        't.method',
        't.tested_at',
        't.tester',
        't.evidence_url',
        't.notes',
        't.external_id',
        't.recorded_at',
      );
    return rows.map(row => ({
      id: row.id,
      controlRef: row.control_ref,
      controlTitle: optional(row.control_title),
      entityRef: row.entity_ref,
      entityTitle: optional(row.entity_title),
      result: row.result,
      method: row.method,
      testedAt: Number(row.tested_at),
      tester: row.tester,
      evidenceUrl: optional(row.evidence_url),
      notes: optional(row.notes),
      externalId: optional(row.external_id),
      recordedAt: Number(row.recorded_at),
    }));
  }

  async applicablePairs(scope: TestReportScope) {
    const rows: Array<{
      control_ref: string;
      control_title: string;
      entity_ref: string;
      entity_title: string | null;
    }> = await inScope(this.db('applicability as a'), 'a', scope)
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join('controls as c', 'c.control_ref', 'a.control_ref')
      .whereNull('e.removed_at')
      .orderBy(['a.entity_ref', 'a.control_ref'])
      .select(
        'a.control_ref',
        this.db.ref('c.title').as('control_title'),
        'a.entity_ref',
        this.db.ref('e.title').as('entity_title'),
      );
    return rows.map(row => ({
      controlRef: row.control_ref,
      controlTitle: row.control_title,
      entityRef: row.entity_ref,
      entityTitle: optional(row.entity_title),
    }));
  }

  async hasTests(scope: TestReportScope): Promise<boolean> {
    const row = await inScope(this.db('test_records as t'), 't', scope)
      .select('t.id')
      .first();
    return row !== undefined;
  }
}
