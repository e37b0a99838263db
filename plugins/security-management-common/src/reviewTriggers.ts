import { z } from 'zod';
import { oneOf, timestampSchema } from './contract/validation';

/*
 * Reviews that notice change: the security-relevant catalog changes that
 * make an entity's review required before its due date. The catalog sync
 * compares each entity's facts with those it saw last time; a change seen
 * after the latest review is a reason to review again.
 */

/**
 * A security-relevant change that makes a review required:
 *
 * - `lifecycle-production`: `spec.lifecycle` became `production`;
 * - `owner-changed`: `spec.owner` changed;
 * - `tier1-dependency`: a new `dependsOn` an entity of risk tier 1;
 * - `provided-api`: a new `providesApi`;
 * - `risk-tier-raised`: the risk tier went up (a lower number).
 *
 * @public
 */
export type ReviewTrigger =
  | 'lifecycle-production'
  | 'owner-changed'
  | 'tier1-dependency'
  | 'provided-api'
  | 'risk-tier-raised';

/** Every review trigger, the default of `securityManagement.reviews.triggers`. @public */
export const REVIEW_TRIGGERS: readonly ReviewTrigger[] = [
  'lifecycle-production',
  'owner-changed',
  'tier1-dependency',
  'provided-api',
  'risk-tier-raised',
];

/**
 * Why a review is required: a change the catalog sync saw, what it was
 * (for example `owner group:default/team-a → group:default/team-b`) and
 * when it was seen. @public
 */
export const reviewReasonSchema = z.strictObject({
  trigger: oneOf(REVIEW_TRIGGERS),
  detail: z.string(),
  seenAt: timestampSchema,
});
/** Why a review is required. @public */
export type ReviewReason = z.infer<typeof reviewReasonSchema>;
