import {
  ControlSummary,
  ExternalReference,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentTimelineEntry,
  PostIncidentReview,
  ReviewOutcome,
  SecurityException,
  SecurityReview,
  TestRecord,
} from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso, toOptionalIso } from '../lib/rows';

/* Row shapes of the tables and their mapping to the domain types. */

export type ControlRow = {
  control_ref: string;
  title: string;
  description: string | null;
  owner: string;
  category: string;
  criticality: string;
  cadence: string;
  method: string;
  procedure: string | null;
  frameworks: string;
  updated_at: DbMillis;
};

export type EntityRow = {
  entity_ref: string;
  kind: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  domain: string | null;
  risk_tier: number;
  removed_at: DbMillis | null;
  updated_at: DbMillis;
};

export type TestRecordRow = {
  id: string;
  control_ref: string;
  entity_ref: string;
  result: string;
  tested_at: DbMillis;
  tester: string;
  method: string;
  evidence_url: string | null;
  notes: string | null;
  external_id: string | null;
  recorded_at: DbMillis;
};

export type LatestTestRow = {
  entity_ref: string;
  control_ref: string;
  record_id: string;
  result: string;
  tested_at: DbMillis;
  due_at: DbMillis | null;
  evidence_url: string | null;
};

export type IncidentRow = {
  id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  reported_at: DbMillis;
  triaged_at: DbMillis | null;
  contained_at: DbMillis | null;
  eradicated_at: DbMillis | null;
  recovered_at: DbMillis | null;
  closed_at: DbMillis | null;
  review: string | null;
  external_references: string;
  created_by: string;
  created_at: DbMillis;
  updated_at: DbMillis;
  version: number;
};

export type TimelineRow = {
  id: DbMillis;
  incident_id: string;
  at: DbMillis;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  changes: string | null;
};

export type ReviewRow = {
  id: string;
  entity_ref: string;
  reviewer: string;
  outcome: string;
  findings: string;
  conditions: string;
  reviewed_at: DbMillis;
  next_due_at: DbMillis;
};

export type ExceptionRow = {
  id: string;
  control_ref: string;
  entity_ref: string;
  justification: string;
  status: string;
  requested_by: string;
  requested_at: DbMillis;
  decided_by: string | null;
  decided_at: DbMillis | null;
  decision_note: string | null;
  expires_at: DbMillis;
};

/** The phase column of each incident status. */
export const PHASE_COLUMNS: Record<IncidentStatus, keyof IncidentRow> = {
  reported: 'reported_at',
  triaged: 'triaged_at',
  contained: 'contained_at',
  eradicated: 'eradicated_at',
  recovered: 'recovered_at',
  closed: 'closed_at',
};

export function rowToControl(row: ControlRow): ControlSummary {
  return {
    ref: row.control_ref,
    title: row.title,
    description: optional(row.description),
    owner: row.owner,
    category: row.category as ControlSummary['category'],
    criticality: row.criticality as ControlSummary['criticality'],
    cadence: row.cadence,
    method: row.method as ControlSummary['method'],
    procedure: optional(row.procedure),
    frameworks: JSON.parse(row.frameworks),
  };
}

export function rowToTestRecord(row: TestRecordRow): TestRecord {
  return {
    id: row.id,
    controlRef: row.control_ref,
    entityRef: row.entity_ref,
    result: row.result as TestRecord['result'],
    testedAt: toIso(row.tested_at),
    tester: row.tester,
    method: row.method as TestRecord['method'],
    evidenceUrl: optional(row.evidence_url),
    notes: optional(row.notes),
    externalId: optional(row.external_id),
    recordedAt: toIso(row.recorded_at),
  };
}

export function rowToIncident(
  row: IncidentRow,
  affectedEntities: string[],
  failedControls: string[],
): Incident {
  const phases: Incident['phases'] = {};
  for (const [status, column] of Object.entries(PHASE_COLUMNS)) {
    const value = row[column] as DbMillis | null;
    if (value !== null) phases[status as IncidentStatus] = toIso(value);
  }
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    severity: row.severity as IncidentSeverity,
    status: row.status as IncidentStatus,
    affectedEntities,
    failedControls,
    externalReferences: JSON.parse(
      row.external_references,
    ) as ExternalReference[],
    phases,
    review: row.review
      ? (JSON.parse(row.review) as PostIncidentReview)
      : undefined,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: Number(row.version),
  };
}

export function rowToTimelineEntry(row: TimelineRow): IncidentTimelineEntry {
  return {
    id: String(row.id),
    incidentId: row.incident_id,
    at: toIso(row.at),
    actor: row.actor,
    action: row.action as IncidentTimelineEntry['action'],
    fromStatus: optional(row.from_status) as IncidentStatus | undefined,
    toStatus: optional(row.to_status) as IncidentStatus | undefined,
    note: optional(row.note),
    changes: row.changes ? JSON.parse(row.changes) : undefined,
  };
}

export function rowToReview(row: ReviewRow): SecurityReview {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    reviewer: row.reviewer,
    outcome: row.outcome as ReviewOutcome,
    findings: row.findings,
    conditions: JSON.parse(row.conditions),
    reviewedAt: toIso(row.reviewed_at),
    nextDueAt: toIso(row.next_due_at),
  };
}

export function rowToException(row: ExceptionRow): SecurityException {
  return {
    id: row.id,
    controlRef: row.control_ref,
    entityRef: row.entity_ref,
    justification: row.justification,
    status: row.status as SecurityException['status'],
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    decidedBy: optional(row.decided_by),
    decidedAt: toOptionalIso(row.decided_at),
    decisionNote: optional(row.decision_note),
    expiresAt: toIso(row.expires_at),
  };
}
