import { z } from 'zod';
import { entityRef, oneOf, timestampSchema } from './contract/validation';
import { SECURITY_POLICY_STATUSES } from './kind/SecurityPolicyEntityV1alpha1';
import { controlStatusCountsSchema } from './types';

/*
 * Security policies as code (ITIL: the IT security policy and its
 * underpinning policies), read from the catalog's SecurityPolicy entities:
 * the policy tree, and how well the controls named by each statement cover
 * it.
 */

const count = z.number().int().min(0);

/** `:ref` of GET /policies/:ref; the kind may be left out. @public */
export const policyRefParamsSchema = z.object({
  ref: entityRef('securitypolicy'),
});
/** `:ref` of GET /policies/:ref. @public */
export type PolicyRefParams = z.input<typeof policyRefParamsSchema>;

/** One control a statement names, and how far it reaches. @public */
export const policyControlCoverageSchema = z.strictObject({
  /** The control's ref as the statement names it, normalised. */
  ref: z.string(),
  /** Whether the catalog holds a valid SecurityControl of that ref. */
  exists: z.boolean(),
  /** The control's title, when it exists. */
  title: z.string().optional(),
  /** How many entities the control applies to. */
  applicableCount: count,
  /** Those entities by the control's status on each. */
  counts: controlStatusCountsSchema,
});
/** One control a statement names, and how far it reaches. @public */
export type PolicyControlCoverage = z.infer<typeof policyControlCoverageSchema>;

/**
 * One statement of a policy with its coverage: it is `covered` when it
 * names at least one control and every control it names exists and applies
 * to at least one entity. `applicableCount` and `counts` sum those of its
 * controls.
 *
 * @public
 */
export const policyStatementSchema = z.strictObject({
  id: z.string(),
  title: z.string().optional(),
  text: z.string(),
  controls: z.array(policyControlCoverageSchema),
  covered: z.boolean(),
  applicableCount: count,
  counts: controlStatusCountsSchema,
});
/** One statement of a policy with its coverage. @public */
export type PolicyStatement = z.infer<typeof policyStatementSchema>;

/** What a policy warning is about. @public */
export type PolicyWarningKind =
  | 'unknown-control'
  | 'unknown-parent'
  | 'parent-cycle';

/** @public */
export const POLICY_WARNING_KINDS: readonly PolicyWarningKind[] = [
  'unknown-control',
  'unknown-parent',
  'parent-cycle',
];

/**
 * Something in a policy that does not hold together: a statement naming a
 * control that is not in the catalog, a parent that is not a policy in the
 * catalog, or parents that form a cycle.
 *
 * @public
 */
export const policyWarningSchema = z.strictObject({
  kind: oneOf(POLICY_WARNING_KINDS),
  message: z.string(),
  /** The statement, for `unknown-control`. */
  statementId: z.string().optional(),
  /** The control or parent ref the warning is about. */
  ref: z.string().optional(),
});
/** A warning on a policy. @public */
export type PolicyWarning = z.infer<typeof policyWarningSchema>;

/**
 * A security policy in the tree, as of the request: `reviewOverdue` when it
 * is approved and its next review is due (now or earlier).
 *
 * @public
 */
export const securityPolicySchema = z.strictObject({
  ref: z.string(),
  title: z.string(),
  description: z.string().optional(),
  owner: z.string(),
  version: z.string(),
  status: oneOf(SECURITY_POLICY_STATUSES),
  approver: z.string().optional(),
  approvedAt: timestampSchema.optional(),
  /** ISO-8601 duration between reviews. */
  reviewCadence: z.string(),
  /** The policy's next review, or its approval plus the cadence. */
  nextReviewAt: timestampSchema.optional(),
  reviewOverdue: z.boolean(),
  /** The policy this one underpins, when that is a policy in the tree. */
  parentRef: z.string().optional(),
  /** The policies that underpin this one, in tree order. */
  childRefs: z.array(z.string()),
  /** 0 for a root of the tree (the IT security policy), 1 below it... */
  depth: count,
  statements: z.array(policyStatementSchema),
  /** How many statements it has, and how many are covered. */
  coverage: z.strictObject({ statements: count, covered: count }),
  warnings: z.array(policyWarningSchema),
});
/** A security policy in the tree. @public */
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

/**
 * GET /policies answer: every valid SecurityPolicy of the catalog in tree
 * order (depth first: each policy, then the policies that underpin it).
 *
 * @public
 */
export const securityPolicyListSchema = z.strictObject({
  items: z.array(securityPolicySchema),
});
/** GET /policies answer. @public */
export type SecurityPolicyList = z.infer<typeof securityPolicyListSchema>;

/** An approved policy whose review is due, for the IT security report. @public */
export const policyReviewDueSchema = z.strictObject({
  ref: z.string(),
  title: z.string(),
  owner: z.string(),
  version: z.string(),
  approver: z.string().optional(),
  approvedAt: timestampSchema.optional(),
  nextReviewAt: timestampSchema,
});
/** An approved policy whose review is due. @public */
export type PolicyReviewDue = z.infer<typeof policyReviewDueSchema>;
