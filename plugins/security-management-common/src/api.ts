import { z } from 'zod';
import { toMillis } from './posture';
import {
  CONTROL_STATUSES,
  controlStatusCountsSchema,
  controlSummarySchema,
  entityPostureSchema,
  EXCEPTION_STATUSES,
  externalReferenceSchema,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  incidentSchema,
  incidentSeverityCountsSchema,
  incidentTimelineEntrySchema,
  REVIEW_STATUSES,
  reviewStatusCountsSchema,
  SECURITY_TEST_METHODS,
  securityExceptionSchema,
  TEST_RESULTS,
  testRecordSchema,
} from './types';
import {
  anyEntityRefSchema,
  booleanParamSchema,
  controlRefSchema,
  entityRef,
  groupRefSchema,
  httpUrlSchema,
  listParam,
  oneOf,
  requiredText,
  text,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';
import { itemsOf, pageOf, paging } from './contract/pages';
import { policyReviewDueSchema } from './policies';
import { reviewReasonSchema } from './reviewTriggers';
import {
  isOrderedPeriod,
  REPORT_CSV_SECTIONS,
  reportExceptionFiguresSchema,
  reportIncidentFiguresSchema,
  reportPeriodSchema,
  reportTestCoverageSchema,
} from './reports';

/*
 * The requests and answers of the REST API mounted at
 * /api/security-management. The backend validates every request with these
 * schemas, the frontend forms check their values with them, and the route
 * table (contract/routes.ts) turns them into the served OpenAPI document.
 */

/** Most test records one batch may hold. @public */
export const MAX_TEST_RECORD_BATCH = 1000;

/** Most entity refs one posture batch may ask for. @public */
export const MAX_POSTURE_BATCH = 1000;

/** A timestamp may be this far ahead of the server clock (clock skew). @public */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A page of results; `totalCount` counts only what the caller may see. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** Paging query parameters, on their own. @public */
export const pageQuerySchema = z.object(paging);

/** Paging query parameters: `limit` 1–500 (default 50), `offset` ≥ 0. @public */
export type PageQuery = z.input<typeof pageQuerySchema>;

// --- test records ---

/** POST /test-records body, or one item of a batch. @public */
export const testRecordInputSchema = z.strictObject({
  controlRef: controlRefSchema,
  entityRef: anyEntityRefSchema,
  result: oneOf(TEST_RESULTS),
  /** Defaults to now; more than 5 minutes in the future is refused. */
  testedAt: timestampInputSchema.optional(),
  /** Defaults to the control's test method. */
  method: oneOf(SECURITY_TEST_METHODS).optional(),
  evidenceUrl: httpUrlSchema.optional(),
  notes: text(10000).optional(),
  externalId: requiredText(200).optional(),
});
/** POST /test-records body, or one item of a batch. @public */
export type TestRecordInput = z.input<typeof testRecordInputSchema>;

/** POST /test-records/batch body. @public */
export const testRecordBatchInputSchema = z.strictObject({
  records: z
    .array(testRecordInputSchema)
    .min(1, { error: 'must hold at least one record' })
    .max(MAX_TEST_RECORD_BATCH, {
      error: `must hold at most ${MAX_TEST_RECORD_BATCH} records; split larger uploads into several batches`,
    }),
});
/** POST /test-records/batch body. @public */
export type TestRecordBatchInput = z.input<typeof testRecordBatchInputSchema>;

/**
 * POST /test-records answer: 201 with `created: true`, or 200 with the first
 * record and `created: false` when the external id was already used.
 *
 * @public
 */
export const testRecordPostResultSchema = z.strictObject({
  record: testRecordSchema,
  created: z.boolean(),
});
/** POST /test-records answer. @public */
export type TestRecordPostResult = z.infer<typeof testRecordPostResultSchema>;

/** POST /test-records/batch answer, records in request order. @public */
export const testRecordBatchResultSchema = z.strictObject({
  items: z.array(testRecordPostResultSchema),
  createdCount: z.number().int(),
  duplicateCount: z.number().int(),
});
/** POST /test-records/batch answer. @public */
export type TestRecordBatchResult = z.infer<typeof testRecordBatchResultSchema>;

/** GET /test-records query. @public */
export const testRecordQuerySchema = z.object({
  ...paging,
  entityRef: anyEntityRefSchema.optional(),
  controlRef: controlRefSchema.optional(),
});
/** GET /test-records query. @public */
export type TestRecordQuery = z.input<typeof testRecordQuerySchema>;

/** GET /test-records answer. @public */
export const testRecordPageSchema = pageOf(testRecordSchema);

// --- incidents ---

const externalReferenceInput = z.strictObject({
  type: requiredText(100),
  url: httpUrlSchema,
  label: text(200).optional(),
}) satisfies z.ZodType<z.infer<typeof externalReferenceSchema>>;

const incidentFields = {
  title: requiredText(200),
  description: text(20000),
  severity: oneOf(INCIDENT_SEVERITIES),
  affectedEntities: z.array(anyEntityRefSchema).min(1).max(100),
  failedControls: z.array(controlRefSchema).max(100),
  externalReferences: z.array(externalReferenceInput).max(50),
};

/** POST /incidents body. @public */
export const incidentInputSchema = z.strictObject({
  ...incidentFields,
  description: incidentFields.description.optional(),
  failedControls: incidentFields.failedControls.optional(),
  externalReferences: incidentFields.externalReferences.optional(),
  /** When the incident was detected; defaults to now. */
  reportedAt: timestampInputSchema.optional(),
});
/** POST /incidents body. @public */
export type IncidentInput = z.input<typeof incidentInputSchema>;

// An incident's version is a 32-bit integer column.
const version = z.number().int().min(0).max(2147483647);

/** PATCH /incidents/:id body; `version` must match the stored one. @public */
export const incidentPatchSchema = z
  .strictObject({
    version,
    title: incidentFields.title.optional(),
    description: incidentFields.description.optional(),
    severity: incidentFields.severity.optional(),
    affectedEntities: incidentFields.affectedEntities.optional(),
    failedControls: incidentFields.failedControls.optional(),
    externalReferences: incidentFields.externalReferences.optional(),
  })
  .refine(patch => Object.keys(patch).some(key => key !== 'version'), {
    error: 'nothing to change; send at least one field besides version',
  });
/** PATCH /incidents/:id body. @public */
export type IncidentPatch = z.input<typeof incidentPatchSchema>;

/**
 * POST /incidents/:id/transitions body. The note goes on the timeline; it
 * is required to reopen a closed incident (`to: reported`), optional for
 * the forward moves CI and scripts make. @public
 */
export const incidentTransitionInputSchema = z
  .strictObject({
    to: oneOf(INCIDENT_STATUSES),
    version,
    note: text(5000).optional(),
  })
  .refine(t => t.to !== 'reported' || Boolean(t.note?.trim()), {
    path: ['note'],
    error: 'say why the incident is reopened',
  });
/** POST /incidents/:id/transitions body. @public */
export type IncidentTransitionInput = z.input<
  typeof incidentTransitionInputSchema
>;

/** GET /incidents query. @public */
export const incidentQuerySchema = z.object({
  ...paging,
  status: listParam(oneOf(INCIDENT_STATUSES)),
  severity: listParam(oneOf(INCIDENT_SEVERITIES)),
  /** Incidents affecting an entity owned by this group ref. */
  owner: groupRefSchema.optional(),
  entityRef: anyEntityRefSchema.optional(),
  /** true: every status but closed; false: only closed. */
  open: booleanParamSchema.optional(),
});
/** GET /incidents query. @public */
export type IncidentQuery = z.input<typeof incidentQuerySchema>;

/** GET /incidents answer. @public */
export const incidentPageSchema = pageOf(incidentSchema);

/** GET /incidents/:id/timeline answer. @public */
export const incidentTimelineSchema = itemsOf(incidentTimelineEntrySchema);
/** GET /incidents/:id/timeline answer. @public */
export type IncidentTimeline = z.infer<typeof incidentTimelineSchema>;

/** The `:id` of an incident or an exception. @public */
export const idParamsSchema = z.object({ id: requiredText(200) });

// --- exceptions ---

/** POST /exceptions body. @public */
export const exceptionInputSchema = z.strictObject({
  controlRef: controlRefSchema,
  entityRef: anyEntityRefSchema,
  justification: requiredText(5000),
  /** Must be in the future. */
  expiresAt: timestampInputSchema,
});
/** POST /exceptions body. @public */
export type ExceptionInput = z.input<typeof exceptionInputSchema>;

/** POST /exceptions/:id/approve and /reject body. @public */
export const exceptionDecisionInputSchema = z.strictObject({
  note: text(5000).optional(),
});
/** POST /exceptions/:id/approve and /reject body. @public */
export type ExceptionDecisionInput = z.input<
  typeof exceptionDecisionInputSchema
>;

/** GET /exceptions query. @public */
export const exceptionQuerySchema = z.object({
  ...paging,
  status: listParam(oneOf(EXCEPTION_STATUSES)),
  entityRef: anyEntityRefSchema.optional(),
  controlRef: controlRefSchema.optional(),
  /** Only exceptions expiring before this instant. */
  expiresBefore: timestampInputSchema.optional(),
});
/** GET /exceptions query. @public */
export type ExceptionQuery = z.input<typeof exceptionQuerySchema>;

/** GET /exceptions answer. @public */
export const exceptionPageSchema = pageOf(securityExceptionSchema);

// --- controls ---

/** GET /controls answer item: a control and how many entities it applies to. @public */
export const controlListItemSchema = controlSummarySchema.extend({
  applicableCount: z.number().int(),
  counts: controlStatusCountsSchema,
});
/** GET /controls answer item. @public */
export type ControlListItem = z.infer<typeof controlListItemSchema>;

/** GET /controls answer: the control library. @public */
export const controlListSchema = itemsOf(controlListItemSchema);
/** GET /controls answer: the control library. @public */
export type ControlList = z.infer<typeof controlListSchema>;

/** GET /controls/coverage query. @public */
export const controlCoverageQuerySchema = z.object({
  controlRef: controlRefSchema,
});

/** GET /controls/coverage answer: the control and its entities. @public */
export const controlCoverageSchema = z.strictObject({
  control: controlSummarySchema,
  entities: z.array(
    z.strictObject({
      entityRef: z.string(),
      title: z.string().optional(),
      owner: z.string().optional(),
      status: oneOf(CONTROL_STATUSES),
      lastTestedAt: timestampSchema.optional(),
      nextDueAt: timestampSchema.optional(),
    }),
  ),
});
/** GET /controls/coverage answer. @public */
export type ControlCoverage = z.infer<typeof controlCoverageSchema>;

// --- posture ---

/** GET /posture/entity query. @public */
export const postureEntityQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
});

/** GET /posture/entity answer: an EntityPosture with controls. @public */
export type EntityPostureResponse = z.infer<typeof entityPostureSchema>;

/** POST /posture/batch body: up to 1000 entity refs. @public */
export const postureBatchInputSchema = z.strictObject({
  entityRefs: z.array(anyEntityRefSchema).min(1).max(MAX_POSTURE_BATCH),
});
/** POST /posture/batch body. @public */
export type PostureBatchInput = z.input<typeof postureBatchInputSchema>;

/** POST /posture/batch answer, one item per known entity, in request order. @public */
export const postureBatchResultSchema = itemsOf(entityPostureSchema);
/** POST /posture/batch answer. @public */
export type PostureBatchResult = z.infer<typeof postureBatchResultSchema>;

/** GET /posture query: a page of entities with their posture. @public */
export const postureListQuerySchema = z.object({
  ...paging,
  /** Only entities with at least one control in one of these statuses. */
  controlStatus: listParam(oneOf(CONTROL_STATUSES)),
  reviewStatus: listParam(oneOf(REVIEW_STATUSES)),
  owner: groupRefSchema.optional(),
  system: entityRef('system').optional(),
  domain: entityRef('domain').optional(),
  kind: requiredText(100)
    .transform(kind => kind.toLocaleLowerCase('en-US'))
    .optional(),
});
/** GET /posture query. @public */
export type PostureListQuery = z.input<typeof postureListQuerySchema>;

/** GET /posture answer. @public */
export const posturePageSchema = pageOf(entityPostureSchema);

/** GET /posture/rollup?by= dimension. @public */
export type RollupDimension = 'owner' | 'system' | 'domain';

/** @public */
export const ROLLUP_DIMENSIONS: readonly RollupDimension[] = [
  'owner',
  'system',
  'domain',
];

/** GET /posture/rollup query. @public */
export const postureRollupQuerySchema = z.object({
  by: oneOf(ROLLUP_DIMENSIONS).default('owner'),
});

/** One group of a roll-up. `key` is the group's entity ref, or null. @public */
export const postureRollupItemSchema = z.strictObject({
  key: z.string().nullable(),
  entityCount: z.number().int(),
  counts: controlStatusCountsSchema,
  review: reviewStatusCountsSchema,
  /**
   * Open incidents affecting the group's entities (each once), counting only
   * those the caller may read; absent when the caller may read no incident.
   */
  openIncidents: incidentSeverityCountsSchema.optional(),
  /** Control coverage score of the group (see postureScore), or null. */
  score: z.number().nullable(),
});
/** One group of a roll-up. @public */
export type PostureRollupItem = z.infer<typeof postureRollupItemSchema>;

/** GET /posture/rollup answer. @public */
export const postureRollupSchema = z.strictObject({
  by: oneOf(ROLLUP_DIMENSIONS),
  items: z.array(postureRollupItemSchema),
});
/** GET /posture/rollup answer. @public */
export type PostureRollup = z.infer<typeof postureRollupSchema>;

// --- schedule ---

/** GET /schedule query (defaults: now, now + 30 days). @public */
export const scheduleQuerySchema = z
  .object({
    from: timestampInputSchema.optional(),
    to: timestampInputSchema.optional(),
    owner: groupRefSchema.optional(),
  })
  .refine(
    range =>
      !range.from || !range.to || toMillis(range.from) <= toMillis(range.to),
    { path: ['to'], error: 'must not be before from' },
  );
/** GET /schedule query. @public */
export type ScheduleQuery = z.input<typeof scheduleQuerySchema>;

/**
 * A test that is due, overdue, failing (its latest test did not pass, so it
 * is due again now) or has never been done.
 *
 * @public
 */
export const scheduledTestSchema = z.strictObject({
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  owner: z.string().optional(),
  controlRef: z.string(),
  controlTitle: z.string(),
  /** Absent for a control never tested on this entity, or failing. */
  dueAt: timestampSchema.optional(),
  state: z.enum(['due', 'overdue', 'failing', 'untested']),
  /** A post-incident review requires a retest: due now (no `dueAt`). */
  retestRequired: z.literal(true).optional(),
});
/** A test that is due, overdue, failing or has never been done. @public */
export type ScheduledTest = z.infer<typeof scheduledTestSchema>;

/**
 * A review that is due, required by a change, overdue or has never happened.
 * @public
 */
export const scheduledReviewSchema = z.strictObject({
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  owner: z.string().optional(),
  riskTier: z.number().int(),
  dueAt: timestampSchema.optional(),
  state: z.enum(['due', 'review-required', 'overdue', 'never-reviewed']),
  /** Why a review is required before its due date (state review-required). */
  reasons: z.array(reviewReasonSchema).optional(),
});
/** A review that is due, overdue or has never happened. @public */
export type ScheduledReview = z.infer<typeof scheduledReviewSchema>;

/**
 * GET /schedule answer: tests and reviews due in [from, to], plus everything
 * already overdue, failing or never done, whatever the range.
 *
 * @public
 */
export const testingScheduleSchema = z.strictObject({
  from: timestampSchema,
  to: timestampSchema,
  tests: z.array(scheduledTestSchema),
  reviews: z.array(scheduledReviewSchema),
});
/** GET /schedule answer. @public */
export type TestingSchedule = z.infer<typeof testingScheduleSchema>;

// --- report and applicability ---

/**
 * GET /report query. `asOf` (default now) is the instant posture and
 * statuses are computed at; the period [from, to] (default the 90 days
 * before `asOf`, ending at it) selects incidents, exception decisions and
 * tests. `to` may not be after `asOf`; the backend also refuses an `asOf`
 * in the future. `section` chooses the table of `format=csv`.
 *
 * @public
 */
export const reportQuerySchema = z
  .object({
    format: z.enum(['json', 'csv']).default('json'),
    section: oneOf(REPORT_CSV_SECTIONS).default('entities'),
    asOf: timestampInputSchema.optional(),
    from: timestampInputSchema.optional(),
    to: timestampInputSchema.optional(),
  })
  .refine(isOrderedPeriod, { path: ['to'], error: 'must not be before from' })
  .refine(
    query =>
      !query.asOf || !query.to || toMillis(query.to) <= toMillis(query.asOf),
    { path: ['to'], error: 'must not be after asOf' },
  );
/** GET /report query. @public */
export type ReportQuery = z.input<typeof reportQuerySchema>;

/** GET /report?format=json answer: the IT security report. @public */
export const securityReportSchema = z.strictObject({
  generatedAt: timestampSchema,
  /** The instant posture and statuses are computed at. */
  asOf: timestampSchema,
  /** Incidents, exception decisions and tests are counted within it. */
  period: reportPeriodSchema,
  summary: z.strictObject({
    entityCount: z.number().int(),
    controlCount: z.number().int(),
    counts: controlStatusCountsSchema,
    review: reviewStatusCountsSchema,
    /**
     * Incidents open at as-of that the caller may read, by severity; absent
     * when the caller may read no incident.
     */
    openIncidents: incidentSeverityCountsSchema.optional(),
    /** Control coverage of all entities (see postureScore), or null. */
    score: z.number().nullable(),
  }),
  byOwner: z.array(postureRollupItemSchema),
  bySystem: z.array(postureRollupItemSchema),
  byDomain: z.array(postureRollupItemSchema),
  entities: z.array(entityPostureSchema),
  /**
   * Figures over the incidents the caller may read; absent when the caller
   * may read no incident.
   */
  incidents: reportIncidentFiguresSchema.optional(),
  exceptions: reportExceptionFiguresSchema,
  testCoverage: reportTestCoverageSchema,
  /**
   * Approved security policies whose review is due at as-of, the longest
   * overdue first; absent when the backend has no policy store.
   */
  policiesDueForReview: z.array(policyReviewDueSchema).optional(),
});
/** GET /report?format=json answer. @public */
export type SecurityReport = z.infer<typeof securityReportSchema>;

/** POST /applicability/refresh answer. @public */
export const applicabilityRefreshResultSchema = z.strictObject({
  entityCount: z.number().int(),
  controlCount: z.number().int(),
  pairCount: z.number().int(),
  removedEntityCount: z.number().int(),
});
/** POST /applicability/refresh answer. @public */
export type ApplicabilityRefreshResult = z.infer<
  typeof applicabilityRefreshResultSchema
>;

/** GET /health answer. @public */
export const healthSchema = z.strictObject({ status: z.literal('ok') });
