import { z } from 'zod';
import { itemsOf, pageOf, paging } from './contract/pages';
import {
  anyEntityRefSchema,
  booleanParamSchema,
  controlRefSchema,
  entityRef,
  groupRefSchema,
  listParam,
  oneOf,
  requiredText,
  text,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';

/*
 * Post-incident reviews and what they feed back: remediation actions with
 * an owner, a due date and a status, and the retests of the controls that
 * failed (see isRetestRequired in posture.ts).
 */

/** Where a remediation action stands. @public */
export type RemediationActionStatus =
  | 'open'
  | 'in-progress'
  | 'done'
  | 'cancelled';

/** @public */
export const REMEDIATION_ACTION_STATUSES: readonly RemediationActionStatus[] = [
  'open',
  'in-progress',
  'done',
  'cancelled',
];

/** The statuses of an action still to be done. @public */
export const ACTIVE_REMEDIATION_ACTION_STATUSES: readonly RemediationActionStatus[] =
  ['open', 'in-progress'];

/**
 * Whether an action is past its due date and still to be done.
 *
 * @public
 */
export function isRemediationActionOverdue(
  action: { status: RemediationActionStatus; dueAt?: string },
  now: Date | number,
): boolean {
  if (!ACTIVE_REMEDIATION_ACTION_STATUSES.includes(action.status)) {
    return false;
  }
  if (action.dueAt === undefined) return false;
  const at = typeof now === 'number' ? now : now.getTime();
  return Date.parse(action.dueAt) <= at;
}

/**
 * A remediation action of a post-incident review. `owner` and `dueAt` are
 * absent only on actions recorded before they were tracked.
 *
 * @public
 */
export const remediationActionSchema = z.strictObject({
  id: z.string(),
  incidentId: z.string(),
  title: z.string(),
  /** Group or user ref of who does it. */
  owner: z.string().optional(),
  dueAt: timestampSchema.optional(),
  status: oneOf(REMEDIATION_ACTION_STATUSES),
  updatedAt: timestampSchema,
  updatedBy: z.string(),
});
/** A remediation action of a post-incident review. @public */
export type RemediationAction = z.infer<typeof remediationActionSchema>;

/** A group or user ref (a bare name is a group). @public */
export const actionOwnerRefSchema = entityRef('group').refine(
  ref => ref.startsWith('group:') || ref.startsWith('user:'),
  { error: 'must be a group or user ref' },
);

/**
 * One remediation action in PUT /incidents/:id/review. An `id` of an
 * action of this review keeps it (and its history); actions left out of
 * the list are removed.
 *
 * @public
 */
export const remediationActionInputSchema = z.strictObject({
  id: requiredText(200).optional(),
  title: requiredText(2000),
  owner: actionOwnerRefSchema,
  dueAt: timestampInputSchema,
  status: oneOf(REMEDIATION_ACTION_STATUSES).default('open'),
});
/** One remediation action in PUT /incidents/:id/review. @public */
export type RemediationActionInput = z.input<
  typeof remediationActionInputSchema
>;

/** What was learned after an incident. @public */
export const postIncidentReviewSchema = z.strictObject({
  rootCause: z.string(),
  lessons: z.string(),
  remediationActions: z.array(remediationActionSchema),
});
/** What was learned after an incident. @public */
export type PostIncidentReview = z.infer<typeof postIncidentReviewSchema>;

// An incident's version is a 32-bit integer column.
const version = z.number().int().min(0).max(2147483647);

/**
 * PUT /incidents/:id/review body. `failedControls`, when sent, replaces
 * the incident's failed controls in the same change.
 *
 * @public
 */
export const incidentReviewInputSchema = z.strictObject({
  version,
  rootCause: requiredText(20000),
  lessons: text(20000),
  failedControls: z.array(controlRefSchema).max(100).optional(),
  remediationActions: z.array(remediationActionInputSchema).max(100),
});
/** PUT /incidents/:id/review body. @public */
export type IncidentReviewInput = z.input<typeof incidentReviewInputSchema>;

/** GET /remediation-actions query. @public */
export const remediationActionQuerySchema = z.object({
  ...paging,
  /** Actions of incidents that affect this entity. */
  entityRef: anyEntityRefSchema.optional(),
  /** Actions this group or user owns. */
  owner: actionOwnerRefSchema.optional(),
  status: listParam(oneOf(REMEDIATION_ACTION_STATUSES)),
  /** true: open and in progress only. */
  active: booleanParamSchema.optional(),
  /** Actions due at or before this instant. */
  dueBefore: timestampInputSchema.optional(),
});
/** GET /remediation-actions query. @public */
export type RemediationActionQuery = z.input<
  typeof remediationActionQuerySchema
>;

/** A remediation action with its incident's title, for lists. @public */
export const remediationActionListItemSchema = remediationActionSchema.extend({
  incidentTitle: z.string(),
});
/** A remediation action with its incident's title. @public */
export type RemediationActionListItem = z.infer<
  typeof remediationActionListItemSchema
>;

/** GET /remediation-actions answer. @public */
export const remediationActionPageSchema = pageOf(
  remediationActionListItemSchema,
);

/** PATCH /remediation-actions/:id body. @public */
export const remediationActionStatusInputSchema = z.strictObject({
  status: oneOf(REMEDIATION_ACTION_STATUSES),
  note: text(5000).optional(),
});
/** PATCH /remediation-actions/:id body. @public */
export type RemediationActionStatusInput = z.input<
  typeof remediationActionStatusInputSchema
>;

/** GET /retests query. @public */
export const retestQuerySchema = z
  .object({
    entityRef: anyEntityRefSchema.optional(),
    owner: groupRefSchema.optional(),
  })
  .refine(query => Boolean(query.entityRef || query.owner), {
    path: ['entityRef'],
    error: 'name an entityRef or an owner',
  });
/** GET /retests query. @public */
export type RetestQuery = z.input<typeof retestQuerySchema>;

/**
 * A control that needs a retest on an entity after a post-incident review
 * named it as failed. `incidents` lists only the incidents the caller may
 * read (possibly none).
 *
 * @public
 */
export const requiredRetestSchema = z.strictObject({
  entityRef: z.string(),
  controlRef: z.string(),
  incidents: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      status: z.string(),
    }),
  ),
});
/** A control that needs a retest on an entity. @public */
export type RequiredRetest = z.infer<typeof requiredRetestSchema>;

/** GET /retests answer. @public */
export const requiredRetestsSchema = itemsOf(requiredRetestSchema);
/** GET /retests answer. @public */
export type RequiredRetests = z.infer<typeof requiredRetestsSchema>;
