import {
  emptyIncidentCounts,
  INCIDENT_STATUSES,
  IncidentSeverityCounts,
  IncidentStatus,
  ReportIncident,
  ReportIncidentFigures,
} from '@open-itsm/plugin-security-management-common';
import { ReportInstants } from './period';
import { IncidentFacts } from './ReportStore';

const HOUR_MS = 60 * 60 * 1000;

/**
 * The status of an incident at an instant: the last status change at or
 * before it (a reopened incident is open again), `reported` before its
 * first recorded change, undefined before it was reported.
 */
export function statusAt(
  incident: IncidentFacts,
  at: number,
): IncidentStatus | undefined {
  if (incident.reportedAt > at) return undefined;
  let status: IncidentStatus = 'reported';
  for (const transition of incident.transitions) {
    if (transition.at > at) break;
    status = transition.to;
  }
  return status;
}

/** Whether an incident was open at some instant of [from, to]. */
function openDuring(incident: IncidentFacts, from: number, to: number) {
  if (incident.reportedAt > to) return false;
  if (incident.reportedAt >= from) return true;
  if (statusAt(incident, from) !== 'closed') return true;
  // Closed at the start, then reopened within the period.
  return incident.transitions.some(
    t => t.at >= from && t.at <= to && t.to !== 'closed',
  );
}

/** Hours between two instants, to one decimal. */
function hoursBetween(start: number, end: number): number {
  return Math.round(((end - start) / HOUR_MS) * 10) / 10;
}

function mean(values: number[]): number | null {
  if (!values.length) return null;
  const hours = values.reduce((sum, h) => sum + h, 0) / values.length;
  return Math.round(hours * 10) / 10;
}

function within(at: number | undefined, from: number, to: number) {
  return at !== undefined && at >= from && at <= to;
}

/**
 * The report's incident figures, over incidents the caller may read
 * (reported by as-of): those open at as-of, by severity; the incidents of
 * the period (open at some instant of it), by severity and by status at
 * as-of; and the mean hours from reported to first contained and to first
 * closed over the incidents contained, or closed, within the period. A phase
 * keeps the instant it was first reached, also after a reopen.
 */
export function incidentFigures(
  incidents: IncidentFacts[],
  instants: ReportInstants,
): { figures: ReportIncidentFigures; open: IncidentFacts[] } {
  const { asOf, from, to } = instants;
  const open = incidents.filter(
    incident => statusAt(incident, asOf) !== 'closed',
  );
  const inPeriod = incidents.filter(incident => openDuring(incident, from, to));
  const contained = incidents.filter(incident =>
    within(incident.containedAt, from, to),
  );
  const resolved = incidents.filter(incident =>
    within(incident.closedAt, from, to),
  );

  const bySeverity = emptyIncidentCounts();
  const byStatus = Object.fromEntries(
    INCIDENT_STATUSES.map(status => [status, 0]),
  ) as Record<IncidentStatus, number>;
  const items = inPeriod.map((incident): ReportIncident => {
    const status = statusAt(incident, asOf)!;
    bySeverity[incident.severity] += 1;
    byStatus[status] += 1;
    // Phases reached after as-of were not known then.
    const containedAt =
      incident.containedAt !== undefined && incident.containedAt <= asOf
        ? incident.containedAt
        : undefined;
    const closedAt =
      incident.closedAt !== undefined && incident.closedAt <= asOf
        ? incident.closedAt
        : undefined;
    return {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      status,
      reportedAt: new Date(incident.reportedAt).toISOString(),
      ...(containedAt === undefined
        ? {}
        : {
            containedAt: new Date(containedAt).toISOString(),
            hoursToContain: hoursBetween(incident.reportedAt, containedAt),
          }),
      ...(closedAt === undefined
        ? {}
        : {
            closedAt: new Date(closedAt).toISOString(),
            hoursToResolve: hoursBetween(incident.reportedAt, closedAt),
          }),
      affectedEntities: incident.affectedEntities,
    };
  });

  return {
    open,
    figures: {
      open: open.length,
      reportedInPeriod: inPeriod.filter(incident =>
        within(incident.reportedAt, from, to),
      ).length,
      containedInPeriod: contained.length,
      resolvedInPeriod: resolved.length,
      meanHoursToContain: mean(
        contained.map(i => (i.containedAt! - i.reportedAt) / HOUR_MS),
      ),
      meanHoursToResolve: mean(
        resolved.map(i => (i.closedAt! - i.reportedAt) / HOUR_MS),
      ),
      bySeverity,
      byStatus,
      items,
    },
  };
}

/** Open incidents by severity. */
export function countBySeverity(
  incidents: Array<Pick<IncidentFacts, 'severity'>>,
): IncidentSeverityCounts {
  const counts = emptyIncidentCounts();
  for (const incident of incidents) counts[incident.severity] += 1;
  return counts;
}
