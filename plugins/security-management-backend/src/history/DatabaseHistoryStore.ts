import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CONTROL_STATUSES,
  ControlStatusCounts,
  emptyControlCounts,
  emptyReviewCounts,
  PostureChanges,
  PostureGrade,
  postureGrade,
  postureScore,
  REVIEW_STATUSES,
  ReviewStatus,
  TestResult,
  TrendPoint,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunkRows, DbMillis, optional } from '../lib/rows';
import { PairHistory, PairStateAt, postureChanges } from './changes';
import {
  ChangeScope,
  EntitySnapshot,
  GroupSnapshot,
  HistoryDimension,
  HistoryStore,
  SnapshotSource,
} from './HistoryStore';

type EntitySnapshotRow = {
  day: string;
  entity_ref: string;
  kind: string;
  owner: string | null;
  system: string | null;
  domain: string | null;
  counts: string;
  review_status: string;
  advisories_active: number;
  advisories_overdue: number;
  score: number | null;
  grade: string;
  source: SnapshotSource;
  taken_at: number;
};

type GroupSnapshotRow = {
  dimension: HistoryDimension;
  group_key: string;
  day: string;
  entity_count: number;
  counts: string;
  review: string;
  advisories_active: number;
  advisories_overdue: number;
  source: SnapshotSource;
  taken_at: number;
};

/** Counts as stored, with every status of today's definition present. */
function parseCounts(json: string): ControlStatusCounts {
  const stored = JSON.parse(json) as Record<string, number>;
  const counts = emptyControlCounts();
  for (const status of CONTROL_STATUSES) counts[status] = stored[status] ?? 0;
  return counts;
}

function parseReview(json: string): Record<ReviewStatus, number> {
  const stored = JSON.parse(json) as Record<string, number>;
  const review = emptyReviewCounts();
  for (const status of REVIEW_STATUSES) review[status] = stored[status] ?? 0;
  return review;
}

/** `ROW_NUMBER() AS rn` in the one order of tests (see testing/latestTests.ts). */
function newestTestFirst(db: Knex): Knex.Raw {
  return db.raw(
    'ROW_NUMBER() OVER (PARTITION BY ??, ?? ORDER BY ?? DESC, ?? DESC, ?? DESC) AS ??',
    [
      't.entity_ref',
      't.control_ref',
      't.tested_at',
      't.recorded_at',
      't.id',
      'rn',
    ],
  );
}

/** Orders text by code unit, as the database's keys are locked in. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function pairKey(entityRef: string, controlRef: string): string {
  return JSON.stringify([entityRef, controlRef]);
}

/**
 * The knex implementation of {@link HistoryStore}. A day's rows are
 * written in one transaction, in key order, with upserts on the primary
 * keys: two replicas writing the same day take the row locks in one order
 * and leave one row per key.
 */
export class DatabaseHistoryStore implements HistoryStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseHistoryStore> {
    return new DatabaseHistoryStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async saveDay(options: {
    day: string;
    source: SnapshotSource;
    takenAt: number;
    entities: EntitySnapshot[];
    groups: GroupSnapshot[];
  }): Promise<void> {
    const { day, source, takenAt } = options;
    const entityRows: EntitySnapshotRow[] = options.entities
      .map(entity => ({
        day,
        entity_ref: entity.entityRef,
        kind: entity.kind,
        owner: entity.owner ?? null,
        system: entity.system ?? null,
        domain: entity.domain ?? null,
        counts: JSON.stringify(entity.counts),
        review_status: entity.reviewStatus,
        advisories_active: entity.advisories.active,
        advisories_overdue: entity.advisories.overdue,
        score: entity.score,
        grade: entity.grade,
        source,
        taken_at: takenAt,
      }))
      .sort((a, b) => compareText(a.entity_ref, b.entity_ref));
    const groupRows: GroupSnapshotRow[] = options.groups
      .map(group => ({
        dimension: group.dimension,
        group_key: group.key,
        day,
        entity_count: group.entityCount,
        counts: JSON.stringify(group.counts),
        review: JSON.stringify(group.review),
        advisories_active: group.advisories.active,
        advisories_overdue: group.advisories.overdue,
        source,
        taken_at: takenAt,
      }))
      .sort((a, b) =>
        compareText(
          `${a.dimension}|${a.group_key}`,
          `${b.dimension}|${b.group_key}`,
        ),
      );
    await this.db.transaction(async tx => {
      for (const part of chunkRows(entityRows)) {
        const insert = tx('posture_snapshots')
          .insert(part)
          .onConflict(['entity_ref', 'day']);
        await (source === 'snapshot' ? insert.merge() : insert.ignore());
      }
      for (const part of chunkRows(groupRows)) {
        const insert = tx('posture_snapshot_groups')
          .insert(part)
          .onConflict(['dimension', 'group_key', 'day']);
        await (source === 'snapshot' ? insert.merge() : insert.ignore());
      }
      if (source === 'snapshot') {
        // What an earlier run of the day saw and this one did not: an
        // entity gone from the catalog, a group left without entities.
        await tx('posture_snapshots')
          .where({ day })
          .whereNot('taken_at', takenAt)
          .delete();
        await tx('posture_snapshot_groups')
          .where({ day })
          .whereNot('taken_at', takenAt)
          .delete();
      }
    });
  }

  async earliestDay(): Promise<string | undefined> {
    const row = await this.db('posture_snapshots').min({ day: 'day' }).first();
    return optional(row?.day as string | null | undefined);
  }

  async earliestEvidence(): Promise<number | undefined> {
    const [tests, reviews] = await Promise.all([
      this.db('test_records').min({ at: 'tested_at' }).first(),
      this.db('reviews').min({ at: 'reviewed_at' }).first(),
    ]);
    const instants = [tests?.at, reviews?.at]
      .filter(at => at !== null && at !== undefined)
      .map(Number);
    return instants.length ? Math.min(...instants) : undefined;
  }

  async prune(options: { before: string }): Promise<number> {
    return this.db.transaction(async tx => {
      await tx('posture_snapshot_groups')
        .where('day', '<', options.before)
        .delete();
      const deleted: number = await tx('posture_snapshots')
        .where('day', '<', options.before)
        .delete();
      return deleted;
    });
  }

  async listEntityRefs(): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.db('entities')
      .whereNull('removed_at')
      .orderBy('entity_ref')
      .select('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  async entityTrend(options: {
    entityRef: string;
    from: string;
    to: string;
  }): Promise<TrendPoint[]> {
    const rows: EntitySnapshotRow[] = await this.db('posture_snapshots')
      .where('entity_ref', options.entityRef)
      .whereBetween('day', [options.from, options.to])
      .orderBy('day')
      .select('*');
    return rows.map(row => {
      const review = emptyReviewCounts();
      if (row.review_status in review) {
        review[row.review_status as ReviewStatus] = 1;
      }
      return {
        day: row.day,
        source: row.source,
        entityCount: 1,
        counts: parseCounts(row.counts),
        review,
        advisories: {
          active: Number(row.advisories_active),
          overdue: Number(row.advisories_overdue),
        },
        score: row.score === null ? null : Number(row.score),
        grade: row.grade as PostureGrade,
      };
    });
  }

  async groupTrend(options: {
    dimension: HistoryDimension;
    key: string;
    from: string;
    to: string;
  }): Promise<TrendPoint[]> {
    const rows: GroupSnapshotRow[] = await this.db('posture_snapshot_groups')
      .where({ dimension: options.dimension, group_key: options.key })
      .whereBetween('day', [options.from, options.to])
      .orderBy('day')
      .select('*');
    return rows.map(row => {
      const counts = parseCounts(row.counts);
      // A group's score is its control coverage, as in the roll-up.
      const score = postureScore({ counts, review: 'current' });
      return {
        day: row.day,
        source: row.source,
        entityCount: Number(row.entity_count),
        counts,
        review: parseReview(row.review),
        advisories: {
          active: Number(row.advisories_active),
          overdue: Number(row.advisories_overdue),
        },
        score,
        grade: postureGrade(score),
      };
    });
  }

  async changes(options: {
    scope: ChangeScope;
    from: number;
    to: number;
  }): Promise<PostureChanges> {
    const { scope, from, to } = options;
    const db = this.db;
    const scoped = (query: Knex.QueryBuilder, alias: string) => {
      if (scope.by === 'entity') query.where(`${alias}.entity_ref`, scope.key);
      else if (scope.by !== 'organisation') {
        query.whereIn(
          `${alias}.entity_ref`,
          db('entities')
            .whereNull('removed_at')
            .where(scope.by, scope.key)
            .select('entity_ref'),
        );
      }
      return query;
    };
    const pairRows: Array<{
      entity_ref: string;
      entity_title: string | null;
      control_ref: string;
      control_title: string;
      cadence: string;
    }> = await scoped(
      db('applicability as a')
        .join('entities as e', 'e.entity_ref', 'a.entity_ref')
        .join('controls as c', 'c.control_ref', 'a.control_ref')
        .whereNull('e.removed_at')
        .select(
          'a.entity_ref',
          db.ref('e.title').as('entity_title'),
          'a.control_ref',
          db.ref('c.title').as('control_title'),
          'c.cadence',
        ),
      'a',
    );
    const [atStart, atEnd] = await Promise.all([
      this.pairStatesAt(from, scoped),
      this.pairStatesAt(to, scoped),
    ]);
    const pairs: PairHistory[] = pairRows.map(row => {
      const key = pairKey(row.entity_ref, row.control_ref);
      return {
        entityRef: row.entity_ref,
        entityTitle: optional(row.entity_title),
        controlRef: row.control_ref,
        controlTitle: row.control_title,
        cadence: row.cadence,
        atStart: atStart.get(key) ?? {},
        atEnd: atEnd.get(key) ?? {},
      };
    });
    return postureChanges({ pairs, from, to });
  }

  /**
   * The latest test tested by an instant and the latest expiry of an
   * exception approved by then and not expired at it, of each pair in
   * scope (as the report reads posture as of an instant).
   */
  private async pairStatesAt(
    at: number,
    scoped: (query: Knex.QueryBuilder, alias: string) => Knex.QueryBuilder,
  ): Promise<Map<string, PairStateAt>> {
    const db = this.db;
    const ranked = scoped(
      db('test_records as t')
        .where('t.tested_at', '<=', at)
        .select(
          't.entity_ref',
          't.control_ref',
          't.result',
          't.tested_at',
          newestTestFirst(db),
        ),
      't',
    );
    const [tests, exceptions]: [
      Array<{
        entity_ref: string;
        control_ref: string;
        result: TestResult;
        tested_at: DbMillis;
      }>,
      Array<{ entity_ref: string; control_ref: string; expires_at: DbMillis }>,
    ] = await Promise.all([
      db
        .from(ranked.as('ranked'))
        .where('rn', 1)
        .select('entity_ref', 'control_ref', 'result', 'tested_at'),
      // `expired` is the stored status of an approved exception once
      // housekeeping saw its expiry.
      scoped(
        db('exceptions as x')
          .whereIn('x.status', ['approved', 'expired'])
          .where('x.decided_at', '<=', at)
          .where('x.expires_at', '>', at)
          .groupBy('x.entity_ref', 'x.control_ref')
          .select(
            'x.entity_ref',
            'x.control_ref',
            db.raw('MAX(??) AS ??', ['x.expires_at', 'expires_at']),
          ),
        'x',
      ),
    ]);
    const states = new Map<string, PairStateAt>();
    for (const row of tests) {
      states.set(pairKey(row.entity_ref, row.control_ref), {
        latest: { result: row.result, testedAt: Number(row.tested_at) },
      });
    }
    for (const row of exceptions) {
      const key = pairKey(row.entity_ref, row.control_ref);
      states.set(key, {
        ...states.get(key),
        exceptionExpiresAt: Number(row.expires_at),
      });
    }
    return states;
  }
}
