import {
  Page,
  ReviewCondition,
  ReviewConditionQuery,
  ReviewConditionUpdate,
  ReviewInput,
  ReviewQuery,
  SecurityReview,
} from '@open-itsm/plugin-security-management-common';

/** Security reviews of entities, and their conditions until met. */
export interface ReviewStore {
  /** Records a review and its conditions, all open, in one transaction. */
  createReview(options: {
    input: ReviewInput & { reviewedAt: string; nextDueAt: string };
    reviewer: string;
  }): Promise<SecurityReview>;
  listReviews(query: ReviewQuery): Promise<Page<SecurityReview>>;
  /** Conditions of reviews, oldest review first, then by position. */
  listConditions(query: ReviewConditionQuery): Promise<Page<ReviewCondition>>;
  /**
   * Marks an open condition met or waived; NotFoundError when there is no
   * such condition, ConflictError when it is no longer open.
   */
  updateCondition(options: {
    reviewId: string;
    position: number;
    update: ReviewConditionUpdate;
    actor: string;
    now: Date;
  }): Promise<ReviewCondition>;
}
