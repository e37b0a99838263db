import {
  ExceptionStatus,
  IncidentSeverity,
  IncidentStatus,
  ReviewOutcome,
  SecurityTestMethod,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { IncidentFilter } from '../incidents/IncidentStore';

/*
 * What the IT security report and the test reports read, as facts with
 * their own instants (epoch millis), so that the report can be computed as
 * of any instant: a test counts from its tested-at, a review from its
 * reviewed-at, an exception from its request and decision, an incident from
 * its reported-at and the status changes of its timeline.
 */

/** An entity of the catalog snapshot, as the report shows it. */
export interface ReportEntity {
  entityRef: string;
  kind: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  riskTier: number;
}

/** An applicable (entity, control) pair with what its status depends on. */
export interface PairFacts {
  entityRef: string;
  controlRef: string;
  cadence: string;
  /** The latest test tested at or before as-of, in the one order of tests. */
  latest?: { result: TestResult; testedAt: number };
  /** The latest expiry of an exception approved by as-of and not expired at it. */
  exceptionExpiresAt?: number;
}

/** The latest review of an entity at or before as-of. */
export interface ReviewFacts {
  reviewedAt: number;
  outcome: ReviewOutcome;
  nextDueAt: number;
  /** When the latest change requiring a review was seen, by as-of. */
  changedAt?: number;
}

/** What an entity's posture at an instant is computed from. */
export interface PostureFacts {
  /** Entities in the catalog today (the snapshot has no history). */
  entities: ReportEntity[];
  /** Applicable pairs today, with their tests and exceptions at as-of. */
  pairs: PairFacts[];
  reviews: Map<string, ReviewFacts>;
  /** Advisory findings active (open, acknowledged) at as-of, and past due then. */
  advisories: Map<string, { active: number; overdue: number }>;
}

/** An incident reported by as-of, with its status changes up to as-of. */
export interface IncidentFacts {
  id: string;
  title: string;
  severity: IncidentSeverity;
  reportedAt: number;
  /** When each phase was first reached (possibly after as-of). */
  containedAt?: number;
  closedAt?: number;
  /** Status changes at or before as-of, oldest first. */
  transitions: Array<{ at: number; to: IncidentStatus }>;
  affectedEntities: string[];
}

/** An exception requested by as-of, with the titles of its control and entity. */
export interface ExceptionFacts {
  id: string;
  controlRef: string;
  controlTitle?: string;
  entityRef: string;
  entityTitle?: string;
  /** The stored status: requested, approved, rejected or expired. */
  status: ExceptionStatus;
  justification: string;
  requestedBy: string;
  requestedAt: number;
  decidedBy?: string;
  decidedAt?: number;
  expiresAt: number;
}

/** An applicable pair and its tests within a period. */
export interface CoverageFacts {
  entityRef: string;
  entityTitle?: string;
  owner?: string;
  controlRef: string;
  controlTitle: string;
  testsInPeriod: number;
  /** The latest test within the period. */
  lastInPeriod?: { result: TestResult; testedAt: number };
  /** Whether any test was tested at or before as-of. */
  everTested: boolean;
}

/** One test record with the titles of its control and entity. */
export interface TestFacts {
  id: string;
  controlRef: string;
  controlTitle?: string;
  entityRef: string;
  entityTitle?: string;
  result: TestResult;
  method: SecurityTestMethod;
  testedAt: number;
  tester: string;
  evidenceUrl?: string;
  notes?: string;
  externalId?: string;
  recordedAt: number;
}

/** Whom a test report is about: a control, an entity or one pair. */
export interface TestReportScope {
  controlRef?: string;
  entityRef?: string;
}

/** The reads behind the IT security report and the test reports. */
export interface ReportStore {
  /** Posture inputs at as-of, from the test, exception, review and advisory history. */
  postureFacts(options: { asOf: number }): Promise<PostureFacts>;
  /**
   * The incidents reported at or before as-of that the filter lets through
   * (all of them without a filter), with their entities and status changes.
   */
  incidentFacts(options: {
    asOf: number;
    filter?: IncidentFilter;
  }): Promise<IncidentFacts[]>;
  /** The exceptions requested at or before as-of. */
  exceptionFacts(options: { asOf: number }): Promise<ExceptionFacts[]>;
  /** Every applicable pair with its tests within [from, to], by entity and control. */
  coverageFacts(options: {
    from: number;
    to: number;
    asOf: number;
  }): Promise<CoverageFacts[]>;
  /**
   * The tests in scope tested within [from, to], newest first (the one
   * order of tests), at most `limit`.
   */
  listTests(options: {
    scope: TestReportScope;
    from: number;
    to: number;
    limit: number;
  }): Promise<TestFacts[]>;
  /** The applicable pairs in scope today, by entity and control, with titles. */
  applicablePairs(scope: TestReportScope): Promise<
    Array<{
      controlRef: string;
      controlTitle: string;
      entityRef: string;
      entityTitle?: string;
    }>
  >;
  /** Whether any test record names the control or the entity of the scope. */
  hasTests(scope: TestReportScope): Promise<boolean>;
}
