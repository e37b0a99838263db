import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Page,
  ScheduledReview,
  ScheduledTest,
  ScheduleQuery,
  TestingSchedule,
  TestRecord,
  TestRecordQuery,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { ControlRow } from '../applicability/rows';
import { connectSecurityDatabase } from '../lib/database';
import {
  byKey,
  chunk,
  chunkRows,
  countOf,
  IN_LIST_SIZE,
  optional,
  pageOf,
  toIso,
  toOptionalIso,
} from '../lib/rows';
import { markCountsStale } from '../posture/postureCounts';
import { latestReviewQuery, REVIEW_FACTS_JOIN } from '../posture/postureSql';
import { pendingReviewReasons } from '../reviews/pendingReasons';
import {
  retestsQuery,
  rowRetestRequired,
} from '../incidents/postIncidentReview';
import { advanceLatestTests } from './latestTests';
import { rowToTestRecord, TestRecordRow } from './rows';
import { NewTestRecord, TestingStore } from './TestingStore';

/**
 * The knex implementation of {@link TestingStore}. An ingest moves the
 * latest tests forward and marks posture counts stale in its one
 * transaction.
 */
export class DatabaseTestingStore implements TestingStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseTestingStore> {
    return new DatabaseTestingStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async addTestRecords(options: {
    records: NewTestRecord[];
    tester: string;
    now: Date;
  }): Promise<Array<{ record: TestRecord; created: boolean }>> {
    const { records, tester } = options;
    if (records.length === 0) return [];
    const recordedAt = options.now.getTime();

    return this.db.transaction(async tx => {
      const cadences = new Map<string, string>();
      const controlRefs = [...new Set(records.map(r => r.controlRef))];
      for (const refs of chunk(controlRefs, IN_LIST_SIZE)) {
        const rows = await tx<ControlRow>('controls')
          .whereIn('control_ref', refs)
          .select('control_ref', 'cadence');
        for (const row of rows) cadences.set(row.control_ref, row.cadence);
      }

      // A repeated external id within the batch resolves to its first use.
      const rows: TestRecordRow[] = [];
      const rowIndexOf: number[] = [];
      const firstUse = new Map<string, number>();
      for (const input of records) {
        const known =
          input.externalId !== undefined
            ? firstUse.get(input.externalId)
            : undefined;
        if (known !== undefined) {
          rowIndexOf.push(known);
          continue;
        }
        if (input.externalId !== undefined) {
          firstUse.set(input.externalId, rows.length);
        }
        rowIndexOf.push(rows.length);
        rows.push({
          id: randomUUID(),
          control_ref: input.controlRef,
          entity_ref: input.entityRef,
          result: input.result,
          tested_at: toMillis(input.testedAt),
          tester,
          method: input.method,
          evidence_url: input.evidenceUrl ?? null,
          notes: input.notes ?? null,
          external_id: input.externalId ?? null,
          recorded_at: recordedAt,
        });
      }

      // Inserting in external-id order keeps concurrent batches that share
      // ids from deadlocking on PostgreSQL's unique index.
      const ordered = [...rows].sort(byKey(row => row.external_id ?? ''));
      const inserted = new Set<string>();
      for (const part of chunkRows(ordered)) {
        const ids: Array<{ id: string }> = await tx('test_records')
          .insert(part)
          .onConflict('external_id')
          .ignore()
          .returning('id');
        for (const { id } of ids) inserted.add(id);
      }

      // A row that was not inserted lost to an earlier use of its external id.
      const first = new Map<string, TestRecordRow>();
      const duplicates = rows.flatMap(row =>
        inserted.has(row.id) ? [] : [row.external_id!],
      );
      for (const ids of chunk(duplicates, IN_LIST_SIZE)) {
        for (const row of await tx<TestRecordRow>('test_records').whereIn(
          'external_id',
          ids,
        )) {
          first.set(row.external_id!, row);
        }
      }
      const outcomes = rows.map(row =>
        inserted.has(row.id)
          ? { row, created: true }
          : { row: first.get(row.external_id!)!, created: false },
      );

      const createdRows = outcomes.filter(o => o.created).map(o => o.row);
      await advanceLatestTests(tx, { created: createdRows, cadences });
      await markCountsStale(
        tx,
        createdRows.map(row => row.entity_ref),
      );

      const seen = new Set<number>();
      return rowIndexOf.map(index => {
        const outcome = outcomes[index];
        const created = outcome.created && !seen.has(index);
        seen.add(index);
        return { record: rowToTestRecord(outcome.row), created };
      });
    });
  }

  async listTestRecords(query: TestRecordQuery): Promise<Page<TestRecord>> {
    const { limit, offset } = pageOf(query);
    const base = this.db<TestRecordRow>('test_records');
    if (query.entityRef) base.where('entity_ref', query.entityRef);
    if (query.controlRef) base.where('control_ref', query.controlRef);
    const [items, total] = await Promise.all([
      base
        .clone()
        .orderBy([
          { column: 'tested_at', order: 'desc' },
          // The one order of tests (see isNewerTest): newest first.
          { column: 'recorded_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return { items: items.map(rowToTestRecord), totalCount: countOf(total) };
  }

  async schedule(options: {
    query: Required<Pick<ScheduleQuery, 'from' | 'to'>> & ScheduleQuery;
    now: Date;
  }): Promise<TestingSchedule> {
    const { query } = options;
    const now = options.now.getTime();
    const from = toMillis(query.from);
    const to = toMillis(query.to);
    const db = this.db;

    const testQuery = db('applicability as a')
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join('controls as c', 'c.control_ref', 'a.control_ref')
      .leftJoin('latest_tests as lt', join =>
        join
          .on('lt.entity_ref', 'a.entity_ref')
          .andOn('lt.control_ref', 'a.control_ref'),
      )
      .leftJoin(retestsQuery(db), 'rt.control_ref', 'a.control_ref')
      .whereNull('e.removed_at')
      // An excepted control is accepted risk, not a test to schedule.
      .whereNotExists(
        db('exceptions as x')
          .whereRaw('?? = ??', ['x.entity_ref', 'a.entity_ref'])
          .whereRaw('?? = ??', ['x.control_ref', 'a.control_ref'])
          .where('x.status', 'approved')
          .where('x.expires_at', '>', now)
          .select(db.raw('1')),
      )
      // Never tested and failing (due again now) whatever the range.
      .where(when =>
        when
          .whereNull('lt.record_id')
          .orWhereNot('lt.result', 'pass')
          .orWhere('lt.due_at', '<=', now)
          .orWhereBetween('lt.due_at', [from, to])
          // A pass from before a retest a post-incident review requires.
          .orWhereRaw('?? <= ??', ['lt.tested_at', 'rt.retest_after']),
      )
      // Failing first, then by due date, then never tested.
      .orderByRaw(
        `CASE WHEN ?? IS NULL THEN 2 WHEN ?? <> 'pass' THEN 0 ELSE 1 END,
          ?? ASC, ?? ASC, ?? ASC`,
        [
          'lt.record_id',
          'lt.result',
          'lt.due_at',
          'a.entity_ref',
          'a.control_ref',
        ],
      )
      .select(
        'a.entity_ref',
        'a.control_ref',
        db.ref('e.title').as('entity_title'),
        'e.owner',
        db.ref('c.title').as('control_title'),
        'lt.record_id',
        'lt.result',
        'lt.due_at',
        'lt.tested_at',
        'rt.retest_after',
      );
    if (query.owner) testQuery.where('e.owner', query.owner);

    const reviewQuery = db('entities as e')
      .leftJoin(latestReviewQuery(db).as('lr'), 'lr.entity_ref', 'e.entity_ref')
      .leftJoin(...REVIEW_FACTS_JOIN, 'e.entity_ref')
      .whereNull('e.removed_at')
      .where(when =>
        when
          .whereNull('lr.next_due_at')
          .orWhere('lr.next_due_at', '<=', now)
          .orWhereBetween('lr.next_due_at', [from, to])
          // Required by a change since the review, whatever the range.
          .orWhereRaw('?? > ??', ['rf.changed_at', 'lr.reviewed_at']),
      )
      .orderByRaw('?? IS NULL, ?? ASC, ?? ASC', [
        'lr.next_due_at',
        'lr.next_due_at',
        'e.entity_ref',
      ])
      .select(
        'e.entity_ref',
        'e.title',
        'e.owner',
        'e.risk_tier',
        'lr.next_due_at',
        'lr.reviewed_at',
        'rf.changed_at',
      );
    if (query.owner) reviewQuery.where('e.owner', query.owner);

    const [testRows, reviewRows] = await Promise.all([testQuery, reviewQuery]);
    const required = (row: (typeof reviewRows)[number]) =>
      row.next_due_at !== null &&
      Number(row.next_due_at) > now &&
      row.changed_at !== null &&
      Number(row.changed_at) > Number(row.reviewed_at);
    const reasons = await pendingReviewReasons(
      db,
      reviewRows.filter(required).map(row => row.entity_ref),
    );

    const tests: ScheduledTest[] = testRows.map(row => {
      let state: ScheduledTest['state'] = 'due';
      if (row.record_id === null) state = 'untested';
      else if (row.result !== 'pass') state = 'failing';
      else if (Number(row.due_at) <= now) state = 'overdue';
      const retest = rowRetestRequired({
        retest_after: row.retest_after,
        last_result: row.result,
        last_tested_at: row.tested_at,
      });
      // Due now: a pass from before the retest is evidence gone stale.
      if (retest && state === 'due') state = 'overdue';
      return {
        entityRef: row.entity_ref,
        entityTitle: optional(row.entity_title),
        owner: optional(row.owner),
        controlRef: row.control_ref,
        controlTitle: row.control_title,
        // A failing test is due again now, as posture says: no date ahead.
        dueAt:
          state === 'failing' || retest ? undefined : toOptionalIso(row.due_at),
        state,
        ...(retest ? { retestRequired: true as const } : {}),
      };
    });
    const reviews: ScheduledReview[] = reviewRows.map(row => {
      let state: ScheduledReview['state'] = 'due';
      if (row.next_due_at === null) state = 'never-reviewed';
      else if (Number(row.next_due_at) <= now) state = 'overdue';
      else if (required(row)) state = 'review-required';
      return {
        entityRef: row.entity_ref,
        entityTitle: optional(row.title),
        owner: optional(row.owner),
        riskTier: Number(row.risk_tier),
        dueAt: toOptionalIso(row.next_due_at),
        state,
        ...(state === 'review-required'
          ? { reasons: reasons.get(row.entity_ref) ?? [] }
          : {}),
      };
    });
    return { from: toIso(from), to: toIso(to), tests, reviews };
  }
}
