import {
  ExternalReference,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentTimelineEntry,
  RemediationAction,
} from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso } from '../lib/rows';

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

export const PHASE_COLUMNS: Record<IncidentStatus, keyof IncidentRow> = {
  reported: 'reported_at',
  triaged: 'triaged_at',
  contained: 'contained_at',
  eradicated: 'eradicated_at',
  recovered: 'recovered_at',
  closed: 'closed_at',
};

export function rowToIncident(
  row: IncidentRow,
  affectedEntities: string[],
  failedControls: string[],
  remediationActions: RemediationAction[] = [],
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
    review: row.review ? reviewOf(row.review, remediationActions) : undefined,
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

/** The review of an incident: its JSON (root cause, lessons) and actions. */
function reviewOf(
  json: string,
  remediationActions: RemediationAction[],
): NonNullable<Incident['review']> {
  const stored = JSON.parse(json) as { rootCause?: string; lessons?: string };
  return {
    rootCause: stored.rootCause ?? '',
    lessons: stored.lessons ?? '',
    remediationActions,
  };
}
