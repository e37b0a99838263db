import {
  Page,
  ReviewInput,
  ReviewQuery,
  SecurityReview,
} from '@open-itsm/plugin-security-management-common';

/** Security reviews of entities. */
export interface ReviewStore {
  createReview(options: {
    input: ReviewInput & { reviewedAt: string; nextDueAt: string };
    reviewer: string;
  }): Promise<SecurityReview>;
  listReviews(query: ReviewQuery): Promise<Page<SecurityReview>>;
}
