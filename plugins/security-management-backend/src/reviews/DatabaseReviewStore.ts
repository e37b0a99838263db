import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Page,
  ReviewInput,
  ReviewQuery,
  SecurityReview,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { countOf, pageOf } from '../lib/rows';
import { ReviewStore } from './ReviewStore';
import { ReviewRow, rowToReview } from './rows';

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
    await this.db('reviews').insert(row);
    return rowToReview(row);
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
    return { items: rows.map(rowToReview), totalCount: countOf(total) };
  }
}
