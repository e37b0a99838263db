import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  addDuration,
  DEFAULT_RISK_TIER,
  ExceptionInput,
  ReviewInput,
  SecurityException,
  SecurityReview,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { applicabilityProblems } from '../applicability/lookups';
import { SecurityStores } from '../database';
import { SecurityManagementSettings } from '../lib/config';

import { inputError, isFuture } from '../lib/inputProblems';

/**
 * The rules a write must satisfy beyond its shape: the entities and controls
 * it names exist and apply to each other, timestamps are not in the future,
 * defaults come from the control and the entity's risk tier, and nobody
 * approves their own exception. Persistence is the store's.
 */
export class SecurityService {
  readonly #stores: SecurityStores;
  readonly #settings: SecurityManagementSettings;

  constructor(options: {
    stores: SecurityStores;
    settings: SecurityManagementSettings;
  }) {
    this.#stores = options.stores;
    this.#settings = options.settings;
  }

  /**
   * Records a review. The next review is due after the review cadence of
   * the entity's risk tier unless the reviewer says otherwise.
   */
  async createReview(options: {
    input: ReviewInput;
    reviewer: string;
    now: Date;
  }): Promise<SecurityReview> {
    const { input, reviewer, now } = options;
    const entity = await this.#stores.applicability.getEntity(input.entityRef);
    if (!entity) {
      throw inputError([
        `entityRef: unknown entity '${input.entityRef}'; it is not in the catalog or no security control applies to it`,
      ]);
    }
    const reviewedAt = input.reviewedAt ?? now.toISOString();
    const problems: string[] = [];
    if (isFuture(reviewedAt, now)) {
      problems.push(
        `reviewedAt: ${reviewedAt} is more than 5 minutes in the future`,
      );
    }
    const cadence =
      this.#settings.reviewCadenceByTier[entity.riskTier] ??
      this.#settings.reviewCadenceByTier[DEFAULT_RISK_TIER];
    const nextDueAt = input.nextDueAt ?? addDuration(reviewedAt, cadence);
    if (toMillis(nextDueAt) <= toMillis(reviewedAt)) {
      problems.push(`nextDueAt: must be after reviewedAt (${reviewedAt})`);
    }
    if (problems.length) throw inputError(problems);
    return this.#stores.reviews.createReview({
      input: {
        ...input,
        conditions: input.conditions ?? [],
        reviewedAt,
        nextDueAt,
      },
      reviewer,
    });
  }

  async requestException(options: {
    input: ExceptionInput;
    requestedBy: string;
    now: Date;
  }): Promise<SecurityException> {
    const { input, requestedBy, now } = options;
    const entity = await this.#stores.applicability.getEntity(input.entityRef);
    const problems = applicabilityProblems({
      entity,
      entityRef: input.entityRef,
      controlRef: input.controlRef,
      prefix: '',
    });
    if (toMillis(input.expiresAt) <= now.getTime()) {
      problems.push(`expiresAt: ${input.expiresAt} must be in the future`);
    }
    if (problems.length) throw inputError(problems);
    return this.#stores.exceptions.requestException({
      input,
      requestedBy,
      now,
    });
  }

  /**
   * Approves or rejects a requested exception. Nobody may decide on their
   * own request, and an exception that has already run out cannot be
   * approved.
   */
  async decideException(options: {
    id: string;
    decision: 'approved' | 'rejected';
    decidedBy: string;
    note?: string;
    now: Date;
  }): Promise<SecurityException> {
    const { id, decision, decidedBy, note, now } = options;
    const existing = await this.#stores.exceptions.getException(id);
    if (!existing) {
      throw new NotFoundError(`No exception with id '${id}'`);
    }
    if (existing.requestedBy === decidedBy) {
      throw new NotAllowedError(
        'You cannot decide on an exception you requested yourself',
      );
    }
    if (existing.status !== 'requested') {
      throw new ConflictError(
        `Exception '${id}' has already been ${existing.status}`,
      );
    }
    if (
      decision === 'approved' &&
      toMillis(existing.expiresAt) <= now.getTime()
    ) {
      throw new ConflictError(
        `Exception '${id}' expired at ${existing.expiresAt}; request a new one`,
      );
    }
    return this.#stores.exceptions.decideException({
      id,
      decision,
      decidedBy,
      note,
      now,
    });
  }
}
