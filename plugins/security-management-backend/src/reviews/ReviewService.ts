import {
  addDuration,
  DEFAULT_RISK_TIER,
  ReviewInput,
  SecurityReview,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { inputError, isFuture } from '../lib/inputProblems';
import { ReviewStore } from './ReviewStore';

/**
 * The rules a review must satisfy beyond its shape: its entity exists, it
 * was not done in the future, and the next one is due after it, by default
 * after the review cadence of the entity's risk tier.
 */
export class ReviewService {
  readonly #applicability: ApplicabilityStore;
  readonly #reviews: ReviewStore;
  readonly #reviewCadenceByTier: Readonly<Record<number, string>>;

  constructor(options: {
    applicability: ApplicabilityStore;
    reviews: ReviewStore;
    /** ISO-8601 review cadence by risk tier. */
    reviewCadenceByTier: Readonly<Record<number, string>>;
  }) {
    this.#applicability = options.applicability;
    this.#reviews = options.reviews;
    this.#reviewCadenceByTier = options.reviewCadenceByTier;
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
    const entity = await this.#applicability.getEntity(input.entityRef);
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
      this.#reviewCadenceByTier[entity.riskTier] ??
      this.#reviewCadenceByTier[DEFAULT_RISK_TIER];
    const nextDueAt = input.nextDueAt ?? addDuration(reviewedAt, cadence);
    if (toMillis(nextDueAt) <= toMillis(reviewedAt)) {
      problems.push(`nextDueAt: must be after reviewedAt (${reviewedAt})`);
    }
    if (problems.length) throw inputError(problems);
    return this.#reviews.createReview({
      input: {
        ...input,
        conditions: input.conditions ?? [],
        reviewedAt,
        nextDueAt,
      },
      reviewer,
    });
  }
}
