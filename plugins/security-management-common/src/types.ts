import { z } from 'zod';
import {
  FrameworkMapping,
  SecurityControlCategory,
  SecurityControlCriticality,
  SecurityTestMethod,
} from './kind/SecurityControlEntityV1alpha1';
import { oneOf, timestampSchema } from './contract/validation';
import { reviewReasonSchema } from './reviewTriggers';
import { postIncidentReviewSchema } from './postIncidentReviews';

/*
 * The objects of the API, as zod schemas: the one definition from which the
 * TypeScript types below, the backend's answers, the contract tests and the
 * served OpenAPI document all come. Answers are strict objects, so a field
 * that the contract does not name fails the contract tests.
 */

/** The outcome of one security test. @public */
export type TestResult = 'pass' | 'fail' | 'partial' | 'error';

/** @public */
export const TEST_RESULTS: readonly TestResult[] = [
  'pass',
  'fail',
  'partial',
  'error',
];

/** @public */
export const SECURITY_TEST_METHODS: readonly SecurityTestMethod[] = [
  'automated',
  'manual',
  'penetration-test',
  'audit',
];

/** @public */
export const SECURITY_CONTROL_CATEGORIES: readonly SecurityControlCategory[] = [
  'technical',
  'organizational',
  'procedural',
  'physical',
];

/** @public */
export const SECURITY_CONTROL_CRITICALITIES: readonly SecurityControlCriticality[] =
  ['low', 'medium', 'high', 'critical'];

/** @public */
export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low';

/** @public */
export const INCIDENT_SEVERITIES: readonly IncidentSeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

/** @public */
export type IncidentStatus =
  | 'reported'
  | 'triaged'
  | 'contained'
  | 'eradicated'
  | 'recovered'
  | 'closed';

/**
 * The phases of an incident in order. An incident moves one phase forward at
 * a time; a closed incident may be reopened (back to `reported`).
 *
 * @public
 */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = [
  'reported',
  'triaged',
  'contained',
  'eradicated',
  'recovered',
  'closed',
];

/**
 * The statuses an incident may move to from a status.
 *
 * @public
 */
export function nextIncidentStatuses(status: IncidentStatus): IncidentStatus[] {
  if (status === 'closed') return ['reported'];
  const index = INCIDENT_STATUSES.indexOf(status);
  return index >= 0 ? [INCIDENT_STATUSES[index + 1]] : [];
}

/** @public */
export type ReviewOutcome =
  | 'approved'
  | 'approved-with-conditions'
  | 'changes-required';

/** @public */
export const REVIEW_OUTCOMES: readonly ReviewOutcome[] = [
  'approved',
  'approved-with-conditions',
  'changes-required',
];

/** @public */
export type ExceptionStatus = 'requested' | 'approved' | 'rejected' | 'expired';

/** @public */
export const EXCEPTION_STATUSES: readonly ExceptionStatus[] = [
  'requested',
  'approved',
  'rejected',
  'expired',
];

/** The status of one control on one entity. @public */
export type ControlStatus =
  | 'passing'
  | 'failing'
  | 'overdue'
  | 'untested'
  | 'excepted';

/** @public */
export const CONTROL_STATUSES: readonly ControlStatus[] = [
  'passing',
  'failing',
  'overdue',
  'untested',
  'excepted',
];

/** @public */
export type ReviewStatus =
  | 'current'
  | 'due-soon'
  | 'review-required'
  | 'overdue'
  | 'never-reviewed';

/** @public */
export const REVIEW_STATUSES: readonly ReviewStatus[] = [
  'current',
  'due-soon',
  'review-required',
  'overdue',
  'never-reviewed',
];

/** The letter grade of a posture; `N/A` when no control applies. @public */
export type PostureGrade = 'A' | 'B' | 'C' | 'D' | 'F' | 'N/A';

/** @public */
export const POSTURE_GRADES: readonly PostureGrade[] = [
  'A',
  'B',
  'C',
  'D',
  'F',
  'N/A',
];

const count = z.number().int().min(0);
const riskTier = z.number().int().min(1).max(3);

/** Counts of controls by status. @public */
export const controlStatusCountsSchema = z.record(
  oneOf(CONTROL_STATUSES),
  count,
);
/** Counts of controls by status. @public */
export type ControlStatusCounts = z.infer<typeof controlStatusCountsSchema>;

/** Counts of open incidents by severity. @public */
export const incidentSeverityCountsSchema = z.record(
  oneOf(INCIDENT_SEVERITIES),
  count,
);
/** Counts of open incidents by severity. @public */
export type IncidentSeverityCounts = z.infer<
  typeof incidentSeverityCountsSchema
>;

/** Counts of entities by review status. @public */
export const reviewStatusCountsSchema = z.record(oneOf(REVIEW_STATUSES), count);

/** One security test of a control on an entity; append-only. @public */
export const testRecordSchema = z.strictObject({
  id: z.string(),
  controlRef: z.string(),
  entityRef: z.string(),
  result: oneOf(TEST_RESULTS),
  /** When the test ran. */
  testedAt: timestampSchema,
  /** Entity ref of the user, or the service principal's subject. */
  tester: z.string(),
  method: oneOf(SECURITY_TEST_METHODS),
  evidenceUrl: z.string().optional(),
  notes: z.string().optional(),
  /** Caller-chosen id; a retried post with the same id creates nothing. */
  externalId: z.string().optional(),
  /** When the record was stored. */
  recordedAt: timestampSchema,
});
/** One security test of a control on an entity; append-only. @public */
export type TestRecord = z.infer<typeof testRecordSchema>;

/** A link from an incident to a ticket, a page or a chat. @public */
export const externalReferenceSchema = z.strictObject({
  type: z.string(),
  url: z.string(),
  label: z.string().optional(),
});
/** A link from an incident to a ticket, a page or a chat. @public */
export type ExternalReference = z.infer<typeof externalReferenceSchema>;

/** A security incident. @public */
export const incidentSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  severity: oneOf(INCIDENT_SEVERITIES),
  status: oneOf(INCIDENT_STATUSES),
  affectedEntities: z.array(z.string()),
  failedControls: z.array(z.string()),
  externalReferences: z.array(externalReferenceSchema),
  /** When the incident first reached each phase. */
  phases: z.partialRecord(oneOf(INCIDENT_STATUSES), timestampSchema),
  review: postIncidentReviewSchema.optional(),
  createdBy: z.string(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  /** Increases with every change; send it back to detect concurrent edits. */
  version: count,
});
/** A security incident. @public */
export type Incident = z.infer<typeof incidentSchema>;

/** One entry of an incident's append-only timeline. @public */
export const incidentTimelineEntrySchema = z.strictObject({
  id: z.string(),
  incidentId: z.string(),
  at: timestampSchema,
  actor: z.string(),
  action: z.enum([
    'created',
    'updated',
    'transitioned',
    'reviewed',
    // Security events a correlation rule attached (changes: CorrelatedEventsChanges).
    'correlated',
  ]),
  fromStatus: oneOf(INCIDENT_STATUSES).optional(),
  toStatus: oneOf(INCIDENT_STATUSES).optional(),
  note: z.string().optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
});
/** One entry of an incident's append-only timeline. @public */
export type IncidentTimelineEntry = z.infer<typeof incidentTimelineEntrySchema>;

/** Where a condition of a review stands. @public */
export type ReviewConditionStatus = 'open' | 'met' | 'waived';

/** @public */
export const REVIEW_CONDITION_STATUSES: readonly ReviewConditionStatus[] = [
  'open',
  'met',
  'waived',
];

/**
 * A condition of a review, tracked until it is met (or waived, with a
 * note). `metAt` and `metBy` say when and by whom it was met or waived.
 * @public
 */
export const reviewConditionSchema = z.strictObject({
  reviewId: z.string(),
  entityRef: z.string(),
  /** Its index in the review's `conditions`, from 0. */
  position: count,
  text: z.string(),
  status: oneOf(REVIEW_CONDITION_STATUSES),
  metAt: timestampSchema.optional(),
  metBy: z.string().optional(),
  note: z.string().optional(),
});
/** A condition of a review, tracked until it is met. @public */
export type ReviewCondition = z.infer<typeof reviewConditionSchema>;

/** A periodic security review of an entity. @public */
export const securityReviewSchema = z.strictObject({
  id: z.string(),
  entityRef: z.string(),
  reviewer: z.string(),
  outcome: oneOf(REVIEW_OUTCOMES),
  findings: z.string(),
  conditions: z.array(z.string()),
  /** Each of `conditions` with whether it is met, in the same order. */
  trackedConditions: z.array(reviewConditionSchema).optional(),
  reviewedAt: timestampSchema,
  nextDueAt: timestampSchema,
});
/** A periodic security review of an entity. @public */
export type SecurityReview = z.infer<typeof securityReviewSchema>;

/** A risk acceptance for one control on one entity. @public */
export const securityExceptionSchema = z.strictObject({
  id: z.string(),
  controlRef: z.string(),
  entityRef: z.string(),
  justification: z.string(),
  status: oneOf(EXCEPTION_STATUSES),
  requestedBy: z.string(),
  requestedAt: timestampSchema,
  decidedBy: z.string().optional(),
  decidedAt: timestampSchema.optional(),
  decisionNote: z.string().optional(),
  expiresAt: timestampSchema,
});
/** A risk acceptance for one control on one entity. @public */
export type SecurityException = z.infer<typeof securityExceptionSchema>;

/** A requirement of a framework that a control satisfies. @public */
export const frameworkMappingSchema = z.strictObject({
  framework: z.string(),
  ref: z.string(),
}) satisfies z.ZodType<FrameworkMapping>;

/** A control as the posture shows it. @public */
export const controlSummarySchema = z.strictObject({
  ref: z.string(),
  title: z.string(),
  description: z.string().optional(),
  owner: z.string(),
  category: oneOf(SECURITY_CONTROL_CATEGORIES),
  criticality: oneOf(SECURITY_CONTROL_CRITICALITIES),
  /** ISO-8601 duration between tests. */
  cadence: z.string(),
  method: oneOf(SECURITY_TEST_METHODS),
  procedure: z.string().optional(),
  frameworks: z.array(frameworkMappingSchema),
});
/** A control as the posture shows it. @public */
export type ControlSummary = z.infer<typeof controlSummarySchema>;

/** One control's status on one entity. @public */
export const controlPostureSchema = z.strictObject({
  control: controlSummarySchema,
  status: oneOf(CONTROL_STATUSES),
  lastResult: oneOf(TEST_RESULTS).optional(),
  lastTestedAt: timestampSchema.optional(),
  /**
   * When the next test is due; absent when never tested, and when the
   * latest test did not pass: a failing control is due for a retest now.
   */
  nextDueAt: timestampSchema.optional(),
  /**
   * A post-incident review requires a retest (see isRetestRequired): due
   * now, so no `nextDueAt`. GET /retests names the incidents.
   */
  retestRequired: z.literal(true).optional(),
  evidenceUrl: z.string().optional(),
  exception: securityExceptionSchema
    .pick({ id: true, expiresAt: true, justification: true })
    .optional(),
  /**
   * The entity the control is inherited from (see the control's
   * `spec.inheritance`): the status, test and exception are that entity's.
   */
  inheritedFrom: z.string().optional(),
});
/** One control's status on one entity. @public */
export type ControlPosture = z.infer<typeof controlPostureSchema>;

/** The review part of a posture. @public */
export const reviewPostureSchema = z.strictObject({
  status: oneOf(REVIEW_STATUSES),
  lastReviewedAt: timestampSchema.optional(),
  lastOutcome: oneOf(REVIEW_OUTCOMES).optional(),
  nextDueAt: timestampSchema.optional(),
  riskTier,
  /**
   * The conditions of the latest review not yet met or waived; only in the
   * single-entity answer.
   */
  openConditions: count.optional(),
  /**
   * The security-relevant catalog changes seen since the latest review,
   * oldest first (see reviewStatus); only in the single-entity answer.
   */
  reasons: z.array(reviewReasonSchema).optional(),
});
/** The review part of a posture. @public */
export type ReviewPosture = z.infer<typeof reviewPostureSchema>;

/** The security posture of one entity. @public */
export const entityPostureSchema = z.strictObject({
  entityRef: z.string(),
  title: z.string().optional(),
  kind: z.string(),
  owner: z.string().optional(),
  system: z.string().optional(),
  domain: z.string().optional(),
  riskTier,
  counts: controlStatusCountsSchema,
  review: reviewPostureSchema,
  /**
   * Open incidents affecting the entity, by severity, counting only those
   * the caller may read; absent when the caller may read no incident. Not
   * part of the score.
   */
  openIncidents: incidentSeverityCountsSchema.optional(),
  /**
   * Active advisory findings (open or acknowledged) on the entity, and how
   * many are past their due date; an overdue one costs the score 10 points
   * (see postureScore).
   */
  advisories: z.strictObject({ active: count, overdue: count }).optional(),
  /** Control coverage less the review and advisory penalties, or null. */
  score: z.number().min(0).max(100).nullable(),
  grade: oneOf(POSTURE_GRADES),
  /** Only in the single-entity answer. */
  controls: z.array(controlPostureSchema).optional(),
});
/** The security posture of one entity. @public */
export type EntityPosture = z.infer<typeof entityPostureSchema>;
