import {
  ApplicabilityRefreshResult,
  ControlCoverage,
  ControlListItem,
  EntityPosture,
  ExceptionQuery,
  Incident,
  IncidentPatch,
  IncidentQuery,
  IncidentStatus,
  IncidentTimelineEntry,
  Page,
  PostIncidentReview,
  PostureListQuery,
  PostureRollup,
  RollupDimension,
  ReviewQuery,
  ScheduleQuery,
  SecurityException,
  SecurityReview,
  TestingSchedule,
  TestRecord,
  TestRecordInput,
  TestRecordQuery,
  ControlSummary,
  ExceptionInput,
  IncidentInput,
  ReviewInput,
} from '@open-itsm/plugin-security-management-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';

/**
 * A catalog entity as the store keeps it: enough to compute and roll up
 * posture without reading the catalog at request time.
 */
export interface StoredEntity {
  entityRef: string;
  kind: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  riskTier: number;
  /** Refs of the SecurityControls that apply (from catalog relations). */
  controlRefs: string[];
}

/** A SQL filter for incidents, built from a conditional permission decision. */
export type IncidentFilter = PermissionCriteria<IncidentRuleQuery>;

/**
 * The queries the incident permission rules compile to.
 *
 * @public
 */
export type IncidentRuleQuery =
  | { rule: 'affectsOwnedEntity'; ownerRefs: string[] }
  | { rule: 'hasSeverity'; severities: string[] }
  | { rule: 'reportedBy'; userRefs: string[] };

/** Who did something, for records and the timeline. */
export interface Actor {
  /** User entity ref or service principal subject. */
  ref: string;
}

/** The persistence of the Security Management plugin. */
export interface SecurityStore {
  /** Replace the applicability snapshot read from the catalog, atomically. */
  replaceCatalogSnapshot(options: {
    controls: ControlSummary[];
    entities: StoredEntity[];
    now: Date;
  }): Promise<ApplicabilityRefreshResult>;

  listControls(): Promise<ControlListItem[]>;
  getControlCoverage(options: {
    controlRef: string;
    now: Date;
  }): Promise<ControlCoverage | undefined>;
  /** The controls among the refs, without posture counts. */
  getControls(controlRefs: string[]): Promise<ControlSummary[]>;
  getEntity(entityRef: string): Promise<StoredEntity | undefined>;
  /** The entities still in the catalog among the refs, in two queries. */
  getEntities(entityRefs: string[]): Promise<StoredEntity[]>;

  /** Idempotent by externalId; concurrent identical posts create one record. */
  addTestRecords(options: {
    records: Array<TestRecordInput & { testedAt: string; method: string }>;
    tester: string;
    now: Date;
  }): Promise<Array<{ record: TestRecord; created: boolean }>>;
  listTestRecords(query: TestRecordQuery): Promise<Page<TestRecord>>;

  getEntityPosture(options: {
    entityRef: string;
    now: Date;
    reviewDueSoon: string;
  }): Promise<EntityPosture | undefined>;
  getPostureBatch(options: {
    entityRefs: string[];
    now: Date;
    reviewDueSoon: string;
  }): Promise<EntityPosture[]>;
  listPosture(options: {
    query: PostureListQuery;
    now: Date;
    reviewDueSoon: string;
  }): Promise<Page<EntityPosture>>;
  rollup(options: {
    by: RollupDimension;
    now: Date;
    reviewDueSoon: string;
  }): Promise<PostureRollup>;
  schedule(options: {
    query: Required<Pick<ScheduleQuery, 'from' | 'to'>> & ScheduleQuery;
    now: Date;
  }): Promise<TestingSchedule>;

  createIncident(options: {
    input: IncidentInput;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  getIncident(options: {
    id: string;
    filter?: IncidentFilter;
  }): Promise<Incident | undefined>;
  listIncidents(options: {
    query: IncidentQuery;
    filter?: IncidentFilter;
  }): Promise<Page<Incident>>;
  /** Throws ConflictError when `version` is stale. */
  updateIncident(options: {
    id: string;
    patch: IncidentPatch;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  /** Throws InputError for a jump the lifecycle forbids, ConflictError when stale. */
  transitionIncident(options: {
    id: string;
    to: IncidentStatus;
    version: number;
    note?: string;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  setIncidentReview(options: {
    id: string;
    review: PostIncidentReview;
    version: number;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  getIncidentTimeline(id: string): Promise<IncidentTimelineEntry[]>;

  createReview(options: {
    input: ReviewInput & { reviewedAt: string; nextDueAt: string };
    reviewer: string;
  }): Promise<SecurityReview>;
  listReviews(query: ReviewQuery): Promise<Page<SecurityReview>>;

  requestException(options: {
    input: ExceptionInput;
    requestedBy: string;
    now: Date;
  }): Promise<SecurityException>;
  getException(id: string): Promise<SecurityException | undefined>;
  /** Throws NotAllowedError when the decider requested it, ConflictError unless requested. */
  decideException(options: {
    id: string;
    decision: 'approved' | 'rejected';
    decidedBy: string;
    note?: string;
    now: Date;
  }): Promise<SecurityException>;
  listExceptions(query: ExceptionQuery): Promise<Page<SecurityException>>;
  /** Approved exceptions whose expiry has passed become expired; returns them. */
  expireExceptions(now: Date): Promise<SecurityException[]>;
}
