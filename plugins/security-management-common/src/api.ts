/*
 * The REST API of the backend plugin, mounted at /api/security-management.
 * Request and response bodies are shared by the backend (which validates
 * every request against them with zod) and the frontend client. The OpenAPI
 * document served at GET /openapi.json describes the same routes.
 */
import {
  ControlStatus,
  ControlStatusCounts,
  ControlSummary,
  EntityPosture,
  ExceptionStatus,
  ExternalReference,
  IncidentSeverity,
  IncidentSeverityCounts,
  IncidentStatus,
  IncidentTimelineEntry,
  PostIncidentReview,
  ReviewOutcome,
  ReviewStatus,
  TestRecord,
  TestResult,
} from './types';
import { SecurityTestMethod } from './kind/SecurityControlEntityV1alpha1';

/** A page of results; `totalCount` counts only what the caller may see. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** Paging query parameters: `limit` 1–500 (default 50), `offset` ≥ 0. @public */
export interface PageQuery {
  limit?: number;
  offset?: number;
}

/** Most test records one batch may hold. @public */
export const MAX_TEST_RECORD_BATCH = 1000;

/** POST /test-records (one record) or an item of a batch. @public */
export interface TestRecordInput {
  controlRef: string;
  entityRef: string;
  result: TestResult;
  /** Defaults to now; more than 5 minutes in the future is refused. */
  testedAt?: string;
  /** Defaults to the control's test method. */
  method?: SecurityTestMethod;
  evidenceUrl?: string;
  notes?: string;
  externalId?: string;
}

/** POST /test-records/batch body. @public */
export interface TestRecordBatchInput {
  records: TestRecordInput[];
}

/**
 * POST /test-records answer: 201 with `created: true`, or 200 with the first
 * record and `created: false` when the external id was already used.
 *
 * @public
 */
export interface TestRecordPostResult {
  record: TestRecord;
  created: boolean;
}

/** POST /test-records/batch answer, records in request order. @public */
export interface TestRecordBatchResult {
  items: TestRecordPostResult[];
  createdCount: number;
  duplicateCount: number;
}

/** GET /test-records query. @public */
export interface TestRecordQuery extends PageQuery {
  entityRef?: string;
  controlRef?: string;
}

/** POST /incidents body. @public */
export interface IncidentInput {
  title: string;
  description?: string;
  severity: IncidentSeverity;
  affectedEntities: string[];
  failedControls?: string[];
  externalReferences?: ExternalReference[];
  /** When the incident was detected; defaults to now. */
  reportedAt?: string;
}

/** PATCH /incidents/:id body; `version` must match the stored one. @public */
export interface IncidentPatch {
  version: number;
  title?: string;
  description?: string;
  severity?: IncidentSeverity;
  affectedEntities?: string[];
  failedControls?: string[];
  externalReferences?: ExternalReference[];
}

/** POST /incidents/:id/transitions body. @public */
export interface IncidentTransitionInput {
  to: IncidentStatus;
  version: number;
  note?: string;
}

/** PUT /incidents/:id/review body. @public */
export interface IncidentReviewInput extends PostIncidentReview {
  version: number;
}

/** GET /incidents query. @public */
export interface IncidentQuery extends PageQuery {
  status?: IncidentStatus[];
  severity?: IncidentSeverity[];
  /** Incidents affecting an entity owned by this group ref. */
  owner?: string;
  entityRef?: string;
  /** true: every status but closed; false: only closed. */
  open?: boolean;
}

/** GET /incidents/:id/timeline answer. @public */
export interface IncidentTimeline {
  items: IncidentTimelineEntry[];
}

/** POST /reviews body. @public */
export interface ReviewInput {
  entityRef: string;
  outcome: ReviewOutcome;
  findings: string;
  conditions?: string[];
  /** Defaults to now. */
  reviewedAt?: string;
  /** Defaults to reviewedAt + the review cadence of the entity's risk tier. */
  nextDueAt?: string;
}

/** GET /reviews query. @public */
export interface ReviewQuery extends PageQuery {
  entityRef?: string;
}

/** POST /exceptions body. @public */
export interface ExceptionInput {
  controlRef: string;
  entityRef: string;
  justification: string;
  /** Must be in the future. */
  expiresAt: string;
}

/** POST /exceptions/:id/approve and /reject body. @public */
export interface ExceptionDecisionInput {
  note?: string;
}

/** GET /exceptions query. @public */
export interface ExceptionQuery extends PageQuery {
  status?: ExceptionStatus[];
  entityRef?: string;
  controlRef?: string;
  /** Only exceptions expiring before this instant. */
  expiresBefore?: string;
}

/** GET /controls answer item: a control and how many entities it applies to. @public */
export interface ControlListItem extends ControlSummary {
  applicableCount: number;
  counts: ControlStatusCounts;
}

/** GET /controls/coverage?controlRef= answer: the control and its entities. @public */
export interface ControlCoverage {
  control: ControlSummary;
  entities: Array<{
    entityRef: string;
    title?: string;
    owner?: string;
    status: ControlStatus;
    lastTestedAt?: string;
    nextDueAt?: string;
  }>;
}

/** GET /posture/entity?entityRef= answer is an EntityPosture with controls. @public */
export type EntityPostureResponse = EntityPosture;

/** POST /posture/batch body: up to 1000 entity refs. @public */
export interface PostureBatchInput {
  entityRefs: string[];
}

/** POST /posture/batch answer, one item per known entity, in request order. @public */
export interface PostureBatchResult {
  items: EntityPosture[];
}

/** GET /posture query: a page of entities with their posture. @public */
export interface PostureListQuery extends PageQuery {
  /** Only entities with at least one control in one of these statuses. */
  controlStatus?: ControlStatus[];
  reviewStatus?: ReviewStatus[];
  owner?: string;
  system?: string;
  domain?: string;
  kind?: string;
}

/** GET /posture/rollup?by= dimension. @public */
export type RollupDimension = 'owner' | 'system' | 'domain';

/** One group of a roll-up. `key` is the group's entity ref, or null. @public */
export interface PostureRollupItem {
  key: string | null;
  entityCount: number;
  counts: ControlStatusCounts;
  review: Record<ReviewStatus, number>;
  openIncidents: IncidentSeverityCounts;
  /** Control coverage score of the group (see postureScore), or null. */
  score: number | null;
}

/** GET /posture/rollup answer. @public */
export interface PostureRollup {
  by: RollupDimension;
  items: PostureRollupItem[];
}

/** GET /schedule?from=&to= query (ISO-8601; defaults: now, now + 30 days). @public */
export interface ScheduleQuery {
  from?: string;
  to?: string;
  owner?: string;
}

/** A test that is due, overdue or has never been done. @public */
export interface ScheduledTest {
  entityRef: string;
  entityTitle?: string;
  owner?: string;
  controlRef: string;
  controlTitle: string;
  /** Absent for a control never tested on this entity. */
  dueAt?: string;
  state: 'due' | 'overdue' | 'untested';
}

/** A review that is due, overdue or has never happened. @public */
export interface ScheduledReview {
  entityRef: string;
  entityTitle?: string;
  owner?: string;
  riskTier: number;
  dueAt?: string;
  state: 'due' | 'overdue' | 'never-reviewed';
}

/**
 * GET /schedule answer: tests and reviews due in [from, to], plus everything
 * already overdue (and never done) whatever the range.
 *
 * @public
 */
export interface TestingSchedule {
  from: string;
  to: string;
  tests: ScheduledTest[];
  reviews: ScheduledReview[];
}

/** GET /report?format=json answer: the IT security report. @public */
export interface SecurityReport {
  generatedAt: string;
  summary: {
    entityCount: number;
    controlCount: number;
    counts: ControlStatusCounts;
    review: Record<ReviewStatus, number>;
    openIncidents: IncidentSeverityCounts;
    score: number | null;
  };
  byOwner: PostureRollupItem[];
  entities: EntityPosture[];
  incidents: {
    open: number;
    closedLast90Days: number;
    /** Mean hours from reported to contained, over incidents that got there. */
    meanHoursToContain: number | null;
    /** Mean hours from reported to closed. */
    meanHoursToResolve: number | null;
  };
  exceptions: { active: number; expiringIn30Days: number };
}

/** POST /applicability/refresh answer. @public */
export interface ApplicabilityRefreshResult {
  entityCount: number;
  controlCount: number;
  pairCount: number;
  removedEntityCount: number;
}

/** Route paths, relative to the plugin's base URL. @public */
export const SECURITY_MANAGEMENT_ROUTES = {
  health: '/health',
  openapi: '/openapi.json',
  controls: '/controls',
  controlCoverage: '/controls/coverage',
  postureEntity: '/posture/entity',
  postureBatch: '/posture/batch',
  postureList: '/posture',
  postureRollup: '/posture/rollup',
  testRecords: '/test-records',
  testRecordBatch: '/test-records/batch',
  incidents: '/incidents',
  incident: '/incidents/:id',
  incidentTransitions: '/incidents/:id/transitions',
  incidentReview: '/incidents/:id/review',
  incidentTimeline: '/incidents/:id/timeline',
  reviews: '/reviews',
  exceptions: '/exceptions',
  exceptionApprove: '/exceptions/:id/approve',
  exceptionReject: '/exceptions/:id/reject',
  schedule: '/schedule',
  report: '/report',
  applicabilityRefresh: '/applicability/refresh',
} as const;
