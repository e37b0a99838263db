import {
  CONTROL_STATUSES,
  EntityPosture,
  ReportException,
  ReportIncident,
  TestReportItem,
} from '@open-itsm/plugin-security-management-common';
import { CoverageFacts } from './ReportStore';

/*
 * The report's tables and the test report as CSV (RFC 4180, CRLF line
 * ends, a header row), one table per file so that a spreadsheet sorts and
 * filters it. Instants are ISO-8601 in UTC.
 */

type Cell = string | number | boolean | null | undefined;

/** One CSV cell: quoted when needed, formulas defused. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Spreadsheets run cells that start like a formula; titles, notes and
  // justifications are user input, so neutralise them.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function table<T>(
  columns: ReadonlyArray<readonly [string, (row: T) => Cell]>,
  rows: T[],
): string {
  const lines = [
    columns.map(([name]) => name).join(','),
    ...rows.map(row => columns.map(([, cell]) => csvCell(cell(row))).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

const iso = (millis: number | undefined) =>
  millis === undefined ? undefined : new Date(millis).toISOString();

/**
 * One row per entity. The openIncidents cell is empty when the reader may
 * read no incident.
 */
export function entitiesCsv(entities: EntityPosture[]): string {
  return table<EntityPosture>(
    [
      ['entityRef', e => e.entityRef],
      ['title', e => e.title],
      ['kind', e => e.kind],
      ['owner', e => e.owner],
      ['system', e => e.system],
      ['domain', e => e.domain],
      ['riskTier', e => e.riskTier],
      ['score', e => e.score],
      ['grade', e => e.grade],
      ...CONTROL_STATUSES.map(
        status => [status, (e: EntityPosture) => e.counts[status]] as const,
      ),
      ['reviewStatus', e => e.review.status],
      ['nextReviewDue', e => e.review.nextDueAt],
      [
        'openIncidents',
        e =>
          e.openIncidents &&
          Object.values(e.openIncidents).reduce((sum, n) => sum + n, 0),
      ],
    ],
    entities,
  );
}

/** One row per incident of the period, with its status at as-of. */
export function incidentsCsv(incidents: ReportIncident[]): string {
  return table<ReportIncident>(
    [
      ['id', i => i.id],
      ['title', i => i.title],
      ['severity', i => i.severity],
      ['status', i => i.status],
      ['reportedAt', i => i.reportedAt],
      ['containedAt', i => i.containedAt],
      ['closedAt', i => i.closedAt],
      ['hoursToContain', i => i.hoursToContain],
      ['hoursToResolve', i => i.hoursToResolve],
      ['affectedEntities', i => i.affectedEntities.join(' ')],
    ],
    incidents,
  );
}

/** One row per exception the report lists, with its status at as-of. */
export function exceptionsCsv(exceptions: ReportException[]): string {
  return table<ReportException>(
    [
      ['id', x => x.id],
      ['controlRef', x => x.controlRef],
      ['controlTitle', x => x.controlTitle],
      ['entityRef', x => x.entityRef],
      ['entityTitle', x => x.entityTitle],
      ['status', x => x.status],
      ['requestedBy', x => x.requestedBy],
      ['requestedAt', x => x.requestedAt],
      ['decidedBy', x => x.decidedBy],
      ['decidedAt', x => x.decidedAt],
      ['expiresAt', x => x.expiresAt],
      ['justification', x => x.justification],
    ],
    exceptions,
  );
}

/** One row per applicable (entity, control) pair with its tests in the period. */
export function testCoverageCsv(pairs: CoverageFacts[]): string {
  return table<CoverageFacts>(
    [
      ['entityRef', p => p.entityRef],
      ['entityTitle', p => p.entityTitle],
      ['owner', p => p.owner],
      ['controlRef', p => p.controlRef],
      ['controlTitle', p => p.controlTitle],
      ['testsInPeriod', p => p.testsInPeriod],
      ['lastResultInPeriod', p => p.lastInPeriod?.result],
      ['lastTestedInPeriod', p => iso(p.lastInPeriod?.testedAt)],
      ['everTested', p => p.everTested],
    ],
    pairs,
  );
}

/** One row per test of a test report, newest first. */
export function testReportCsv(tests: TestReportItem[]): string {
  return table<TestReportItem>(
    [
      ['testedAt', t => t.testedAt],
      ['controlRef', t => t.controlRef],
      ['controlTitle', t => t.controlTitle],
      ['entityRef', t => t.entityRef],
      ['entityTitle', t => t.entityTitle],
      ['result', t => t.result],
      ['method', t => t.method],
      ['tester', t => t.tester],
      ['evidenceUrl', t => t.evidenceUrl],
      ['notes', t => t.notes],
      ['externalId', t => t.externalId],
      ['recordedAt', t => t.recordedAt],
      ['id', t => t.id],
    ],
    tests,
  );
}
