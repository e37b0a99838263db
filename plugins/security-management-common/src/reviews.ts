import { z } from 'zod';
import { pageOf, paging } from './contract/pages';
import {
  anyEntityRefSchema,
  listParam,
  oneOf,
  requiredText,
  text,
  timestampInputSchema,
} from './contract/validation';
import {
  REVIEW_CONDITION_STATUSES,
  REVIEW_OUTCOMES,
  reviewConditionSchema,
  securityReviewSchema,
} from './types';

/*
 * The requests and answers of the review routes: recording a security
 * review of an entity, and tracking its conditions until they are met.
 */

/** POST /reviews body. @public */
export const reviewInputSchema = z
  .strictObject({
    entityRef: anyEntityRefSchema,
    outcome: oneOf(REVIEW_OUTCOMES),
    findings: requiredText(20000),
    conditions: z.array(requiredText(1000)).max(50).optional(),
    /** Defaults to now. */
    reviewedAt: timestampInputSchema.optional(),
    /** Defaults to reviewedAt + the review cadence of the entity's risk tier. */
    nextDueAt: timestampInputSchema.optional(),
  })
  .refine(
    review =>
      review.outcome !== 'approved-with-conditions' ||
      (review.conditions?.length ?? 0) > 0,
    {
      path: ['conditions'],
      error: 'approved-with-conditions needs at least one condition',
    },
  );
/** POST /reviews body. @public */
export type ReviewInput = z.input<typeof reviewInputSchema>;

/** GET /reviews query. @public */
export const reviewQuerySchema = z.object({
  ...paging,
  entityRef: anyEntityRefSchema.optional(),
});
/** GET /reviews query. @public */
export type ReviewQuery = z.input<typeof reviewQuerySchema>;

/** GET /reviews answer. @public */
export const reviewPageSchema = pageOf(securityReviewSchema);

/** POST /reviews/:id/conditions/:position path. @public */
export const reviewConditionParamsSchema = z.object({
  id: requiredText(200),
  position: z.coerce.number<number>().int().min(0).max(49),
});

/**
 * POST /reviews/:id/conditions/:position body: the condition is met, or
 * waived (a note saying why is required). @public
 */
export const reviewConditionUpdateSchema = z
  .strictObject({
    status: oneOf(['met', 'waived'] as const),
    note: text(5000).optional(),
  })
  .refine(update => update.status !== 'waived' || Boolean(update.note), {
    path: ['note'],
    error: 'say why the condition is waived',
  });
/** POST /reviews/:id/conditions/:position body. @public */
export type ReviewConditionUpdate = z.input<typeof reviewConditionUpdateSchema>;

/** GET /reviews/conditions query. @public */
export const reviewConditionQuerySchema = z.object({
  ...paging,
  status: listParam(oneOf(REVIEW_CONDITION_STATUSES)),
  entityRef: anyEntityRefSchema.optional(),
});
/** GET /reviews/conditions query. @public */
export type ReviewConditionQuery = z.input<typeof reviewConditionQuerySchema>;

/** GET /reviews/conditions answer. @public */
export const reviewConditionPageSchema = pageOf(reviewConditionSchema);
