import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Page,
  ReviewCondition,
  ReviewConditionQuery,
  ReviewConditionUpdate,
  ReviewInput,
  ReviewQuery,
  SecurityReview,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunkRows, countOf, pageOf } from '../lib/rows';
import { ReviewStore } from './ReviewStore';
import {
  ReviewConditionRow,
  ReviewRow,
  rowToCondition,
  rowToReview,
} from './rows';

const CONDITION_COLUMNS = [
  'rc.review_id',
  'rc.position',
  'rc.text',
  'rc.status',
  'rc.met_at',
  'rc.met_by',
  'rc.note',
  'r.entity_ref',
];

/**
 * The knex implementation of {@link ReviewStore}.
 */
export class DatabaseReviewStore implements ReviewStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseReviewStore> {
    return new DatabaseReviewStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async createReview(options: {
    input: ReviewInput & { reviewedAt: string; nextDueAt: string };
    reviewer: string;
  }): Promise<SecurityReview> {
    const { input } = options;
    const row: ReviewRow = {
      id: randomUUID(),
      entity_ref: input.entityRef,
      reviewer: options.reviewer,
      outcome: input.outcome,
      findings: input.findings,
      conditions: JSON.stringify(input.conditions ?? []),
      reviewed_at: toMillis(input.reviewedAt),
      next_due_at: toMillis(input.nextDueAt),
    };
    const conditions: ReviewConditionRow[] = (input.conditions ?? []).map(
      (text, position) => ({
        review_id: row.id,
        position,
        text,
        status: 'open',
        met_at: null,
        met_by: null,
        note: null,
      }),
    );
    await this.db.transaction(async tx => {
      await tx('reviews').insert(row);
      for (const rows of chunkRows(conditions)) {
        await tx('review_conditions').insert(rows);
      }
    });
    return rowToReview(row, conditions);
  }

  async listReviews(query: ReviewQuery): Promise<Page<SecurityReview>> {
    const { limit, offset } = pageOf(query);
    const base = this.db<ReviewRow>('reviews');
    if (query.entityRef) base.where('entity_ref', query.entityRef);
    const [rows, total] = await Promise.all([
      base
        .clone()
        .orderBy([
          { column: 'reviewed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    const conditions = rows.some(r => r.conditions !== '[]')
      ? await this.db<ReviewConditionRow>('review_conditions').whereIn(
          'review_id',
          rows.map(r => r.id),
        )
      : [];
    return {
      items: rows.map(r => rowToReview(r, conditions)),
      totalCount: countOf(total),
    };
  }

  async listConditions(
    query: ReviewConditionQuery,
  ): Promise<Page<ReviewCondition>> {
    const { limit, offset } = pageOf(query);
    const base = this.db('review_conditions as rc').join(
      'reviews as r',
      'r.id',
      'rc.review_id',
    );
    const statuses = [query.status ?? []].flat();
    if (statuses.length) base.whereIn('rc.status', statuses);
    if (query.entityRef) base.where('r.entity_ref', query.entityRef);
    const [rows, total] = await Promise.all([
      base
        .clone()
        .select(CONDITION_COLUMNS)
        .orderBy([
          { column: 'r.reviewed_at', order: 'asc' },
          { column: 'rc.review_id', order: 'asc' },
          { column: 'rc.position', order: 'asc' },
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return {
      items: rows.map((r: ReviewConditionRow & { entity_ref: string }) =>
        rowToCondition(r, r.entity_ref),
      ),
      totalCount: countOf(total),
    };
  }

  async updateCondition(options: {
    reviewId: string;
    position: number;
    update: ReviewConditionUpdate;
    actor: string;
    now: Date;
  }): Promise<ReviewCondition> {
    const { reviewId, position, update } = options;
    const key = { review_id: reviewId, position };
    // One conditional UPDATE: of two concurrent callers only one changes
    // the open condition; the other sees it closed and gets a 409.
    const changed = await this.db('review_conditions')
      .where({ ...key, status: 'open' })
      .update({
        status: update.status,
        met_at: options.now.getTime(),
        met_by: options.actor,
        note: update.note ?? null,
      });
    const row = await this.db('review_conditions as rc')
      .join('reviews as r', 'r.id', 'rc.review_id')
      .where({ 'rc.review_id': reviewId, 'rc.position': position })
      .select(CONDITION_COLUMNS)
      .first();
    if (!row) {
      throw new NotFoundError(
        `Review ${reviewId} has no condition at position ${position}`,
      );
    }
    if (!changed) {
      throw new ConflictError(
        `Condition ${position} of review ${reviewId} is already ${row.status}`,
      );
    }
    return rowToCondition(row, row.entity_ref);
  }
}
