import {
  FrameworkMapping,
  SecurityControlCategory,
  SecurityControlCriticality,
  SecurityTestMethod,
} from './kind/SecurityControlEntityV1alpha1';

/** The outcome of one security test. @public */
export type TestResult = 'pass' | 'fail' | 'partial' | 'error';

/** @public */
export const TEST_RESULTS: readonly TestResult[] = [
  'pass',
  'fail',
  'partial',
  'error',
];

/** One security test of a control on an entity; append-only. @public */
export interface TestRecord {
  id: string;
  controlRef: string;
  entityRef: string;
  result: TestResult;
  /** ISO-8601 timestamp of the test. */
  testedAt: string;
  /** Entity ref of the user, or the service principal's subject. */
  tester: string;
  method: SecurityTestMethod;
  evidenceUrl?: string;
  notes?: string;
  /** Caller-chosen id; a retried post with the same id creates nothing. */
  externalId?: string;
  /** When the record was stored. */
  recordedAt: string;
}

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

/** A link from an incident to a ticket, a page or a chat. @public */
export interface ExternalReference {
  type: string;
  url: string;
  label?: string;
}

/** What was learned after an incident. @public */
export interface PostIncidentReview {
  rootCause: string;
  lessons: string;
  remediationActions: string[];
}

/** A security incident. @public */
export interface Incident {
  id: string;
  title: string;
  description: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  affectedEntities: string[];
  failedControls: string[];
  externalReferences: ExternalReference[];
  /** When the incident first reached each phase (ISO-8601). */
  phases: Partial<Record<IncidentStatus, string>>;
  review?: PostIncidentReview;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Increases with every change; send it back to detect concurrent edits. */
  version: number;
}

/** One entry of an incident's append-only timeline. @public */
export interface IncidentTimelineEntry {
  id: string;
  incidentId: string;
  at: string;
  actor: string;
  action: 'created' | 'updated' | 'transitioned' | 'reviewed';
  fromStatus?: IncidentStatus;
  toStatus?: IncidentStatus;
  note?: string;
  changes?: Record<string, unknown>;
}

/** @public */
export type ReviewOutcome =
  | 'approved'
  | 'approved-with-conditions'
  | 'changes-required';

/** A periodic security review of an entity. @public */
export interface SecurityReview {
  id: string;
  entityRef: string;
  reviewer: string;
  outcome: ReviewOutcome;
  findings: string;
  conditions: string[];
  reviewedAt: string;
  nextDueAt: string;
}

/** @public */
export type ExceptionStatus = 'requested' | 'approved' | 'rejected' | 'expired';

/** A risk acceptance for one control on one entity. @public */
export interface SecurityException {
  id: string;
  controlRef: string;
  entityRef: string;
  justification: string;
  status: ExceptionStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionNote?: string;
  expiresAt: string;
}

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
  | 'overdue'
  | 'never-reviewed';

/** A control as the posture shows it. @public */
export interface ControlSummary {
  ref: string;
  title: string;
  description?: string;
  owner: string;
  category: SecurityControlCategory;
  criticality: SecurityControlCriticality;
  cadence: string;
  method: SecurityTestMethod;
  procedure?: string;
  frameworks: FrameworkMapping[];
}

/** One control's status on one entity. @public */
export interface ControlPosture {
  control: ControlSummary;
  status: ControlStatus;
  lastResult?: TestResult;
  lastTestedAt?: string;
  /** When the next test is due; absent when never tested. */
  nextDueAt?: string;
  evidenceUrl?: string;
  exception?: Pick<SecurityException, 'id' | 'expiresAt' | 'justification'>;
}

/** Counts of controls by status. @public */
export type ControlStatusCounts = Record<ControlStatus, number>;

/** Counts of open incidents by severity. @public */
export type IncidentSeverityCounts = Record<IncidentSeverity, number>;

/** The letter grade of a posture; `N/A` when no control applies. @public */
export type PostureGrade = 'A' | 'B' | 'C' | 'D' | 'F' | 'N/A';

/** The review part of a posture. @public */
export interface ReviewPosture {
  status: ReviewStatus;
  lastReviewedAt?: string;
  lastOutcome?: ReviewOutcome;
  nextDueAt?: string;
  riskTier: number;
}

/** The security posture of one entity. @public */
export interface EntityPosture {
  entityRef: string;
  title?: string;
  kind: string;
  owner?: string;
  system?: string;
  domain?: string;
  riskTier: number;
  counts: ControlStatusCounts;
  review: ReviewPosture;
  openIncidents: IncidentSeverityCounts;
  score: number | null;
  grade: PostureGrade;
  /** Only in the single-entity answer. */
  controls?: ControlPosture[];
}
