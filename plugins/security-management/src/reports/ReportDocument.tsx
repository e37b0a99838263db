import { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  CONTROL_STATUSES,
  EntityPosture,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  IncidentSeverityCounts,
  PostureRollupItem,
  REVIEW_STATUSES,
  SecurityReport,
} from '@open-itsm/plugin-security-management-common';
import { formatDate, formatDateTime, humanize } from '../lib/format';

/*
 * The IT security report as a printable HTML document: plain elements and
 * its own stylesheet, without the Backstage app around it, so that it
 * prints (or saves as PDF) page by page with the report's title, as-of and
 * period at the top of every page.
 */

/** The print stylesheet of the report document. */
export const REPORT_PRINT_CSS = `
@page { size: A4; margin: 12mm 12mm 14mm; }
* { box-sizing: border-box; }
body { margin: 0; font: 9.5pt/1.35 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111; background: #fff; }
.toolbar { display: flex; gap: 12px; align-items: center; padding: 10px 16px; background: #f3f4f6; border-bottom: 1px solid #d1d5db; }
.toolbar button { font: inherit; padding: 6px 14px; cursor: pointer; }
main { padding: 0 16px 16px; }
table { border-collapse: collapse; width: 100%; }
table.page > thead { display: table-header-group; }
table.page > thead td { padding: 0; }
.page-header { display: flex; justify-content: space-between; gap: 16px; border-bottom: 2px solid #111; padding: 6px 0 4px; margin-bottom: 8px; font-size: 8.5pt; }
.page-header strong { font-size: 10pt; }
h1 { font-size: 16pt; margin: 6px 0 2px; }
h2 { font-size: 12pt; margin: 16px 0 6px; border-bottom: 1px solid #999; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 10px 0 4px; break-after: avoid; page-break-after: avoid; }
p { margin: 2px 0 6px; }
.muted { color: #555; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0 8px; }
.figures div { min-width: 90px; break-inside: avoid; page-break-inside: avoid; }
.figures b { display: block; font-size: 12pt; }
table.data { margin: 4px 0 10px; font-size: 8.5pt; }
table.data thead { display: table-header-group; }
table.data th { text-align: left; border-bottom: 1.5px solid #111; padding: 3px 4px; background: #f3f4f6; }
table.data td { border-bottom: 1px solid #d1d5db; padding: 2px 4px; vertical-align: top; overflow-wrap: break-word; }
table.data tr { break-inside: avoid; page-break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
@media print {
  .toolbar { display: none; }
  main { padding: 0; }
  a { color: inherit; text-decoration: none; }
}
`;

function Figures(props: { items: Array<[string, ReactNode]> }) {
  return (
    <div className="figures">
      {props.items.map(([label, value]) => (
        <div key={label}>
          <b>{value}</b>
          <span className="muted">{label}</span>
        </div>
      ))}
    </div>
  );
}

/** A section's heading with its figures, kept together on one page. */
function Lead(props: { title: string; children: ReactNode }) {
  return (
    <div className="keep">
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}

/** A column of a table: its title, its cell, and whether it holds numbers. */
type Column<T> = [string, (row: T) => ReactNode, 'num'?];

/** A table with a header row that repeats on every printed page. */
function DataTable<T>(props: {
  columns: Array<Column<T>>;
  rows: T[];
  empty: string;
}) {
  if (!props.rows.length) return <p className="muted">{props.empty}</p>;
  return (
    <table className="data">
      <thead>
        <tr>
          {props.columns.map(([title, , align]) => (
            <th key={title} className={align}>
              {title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, index) => (
          <tr key={index}>
            {props.columns.map(([title, cell, align]) => (
              <td key={title} className={align}>
                {cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * An entity ref as people read it: the name alone in the default
 * namespace (`group:default/payments` is `payments`), else namespace/name.
 */
export function shortRef(ref: string): string {
  const match = /^[^:]+:([^/]+)\/(.+)$/.exec(ref);
  if (!match) return ref;
  return match[1] === 'default' ? match[2] : `${match[1]}/${match[2]}`;
}

const total = (counts?: IncidentSeverityCounts) =>
  counts && INCIDENT_SEVERITIES.reduce((sum, s) => sum + counts[s], 0);

const hours = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${value.toFixed(1)} h`;

const score = (value: number | null) => (value === null ? '—' : value);

function Rollup(props: {
  title: string;
  items: PostureRollupItem[];
  withIncidents: boolean;
}) {
  return (
    <>
      <h3>{props.title}</h3>
      <DataTable<PostureRollupItem>
        rows={props.items}
        empty="No entities."
        columns={[
          ['Group', g => (g.key ? shortRef(g.key) : '(none)')],
          ['Entities', g => g.entityCount, 'num'],
          ...CONTROL_STATUSES.map(
            (s): Column<PostureRollupItem> => [
              humanize(s),
              g => g.counts[s],
              'num',
            ],
          ),
          ['Reviews overdue', g => g.review.overdue, 'num'],
          ...(props.withIncidents
            ? [
                [
                  'Open incidents',
                  g => total(g.openIncidents),
                  'num',
                ] as Column<PostureRollupItem>,
              ]
            : []),
          ['Score', g => score(g.score), 'num'],
        ]}
      />
    </>
  );
}

/** The report, section by section, as the print view shows it. */
export function ReportDocument(props: { report: SecurityReport }) {
  const { report } = props;
  const { summary, incidents, exceptions, testCoverage } = report;
  const withIncidents = incidents !== undefined;
  const period = `${formatDate(report.period.from)} – ${formatDate(
    report.period.to,
  )}`;
  return (
    <table className="page">
      <thead>
        <tr>
          <td>
            <div className="page-header">
              <strong>IT security report</strong>
              <span>As of {formatDateTime(report.asOf)}</span>
              <span>Period {period}</span>
            </div>
          </td>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>
            <h1>IT security report</h1>
            <p className="muted">
              Posture as of {formatDateTime(report.asOf)};{' '}
              {withIncidents ? 'incidents, exceptions' : 'exceptions'} and tests
              in the period {period}. Generated{' '}
              {formatDateTime(report.generatedAt)}.
            </p>

            <Lead title="Summary">
              <Figures
                items={[
                  ['Entities', summary.entityCount],
                  ['Controls', summary.controlCount],
                  [
                    'Score',
                    summary.score === null ? '—' : `${summary.score}/100`,
                  ],
                  ...CONTROL_STATUSES.map((s): [string, ReactNode] => [
                    `Controls ${s}`,
                    summary.counts[s],
                  ]),
                  ...REVIEW_STATUSES.map((s): [string, ReactNode] => [
                    `Reviews ${humanize(s).toLowerCase()}`,
                    summary.review[s],
                  ]),
                  ...(incidents
                    ? ([
                        ['Open incidents', total(summary.openIncidents)],
                        [
                          'Mean time to contain',
                          hours(incidents.meanHoursToContain),
                        ],
                        [
                          'Mean time to resolve',
                          hours(incidents.meanHoursToResolve),
                        ],
                      ] as Array<[string, ReactNode]>)
                    : []),
                  ['Active exceptions', exceptions.active],
                ]}
              />
            </Lead>

            <h2>Posture by owner, system and domain</h2>
            <Rollup
              title="By owner"
              items={report.byOwner}
              withIncidents={withIncidents}
            />
            <Rollup
              title="By system"
              items={report.bySystem}
              withIncidents={withIncidents}
            />
            <Rollup
              title="By domain"
              items={report.byDomain}
              withIncidents={withIncidents}
            />

            {incidents && (
              <>
                <Lead title="Incidents">
                  <Figures
                    items={[
                      ['Open at as-of', incidents.open],
                      ['Reported in the period', incidents.reportedInPeriod],
                      ['Contained in the period', incidents.containedInPeriod],
                      ['Resolved in the period', incidents.resolvedInPeriod],
                      [
                        'Mean time to contain',
                        hours(incidents.meanHoursToContain),
                      ],
                      [
                        'Mean time to resolve',
                        hours(incidents.meanHoursToResolve),
                      ],
                      ...INCIDENT_SEVERITIES.map((s): [string, ReactNode] => [
                        humanize(s),
                        incidents.bySeverity[s],
                      ]),
                      ...INCIDENT_STATUSES.map((s): [string, ReactNode] => [
                        `${humanize(s)} at as-of`,
                        incidents.byStatus[s],
                      ]),
                    ]}
                  />
                </Lead>
                <DataTable
                  rows={incidents.items}
                  empty="No incidents in the period."
                  columns={[
                    ['Title', i => i.title],
                    ['Severity', i => humanize(i.severity)],
                    ['Status', i => humanize(i.status)],
                    ['Reported', i => formatDateTime(i.reportedAt)],
                    ['To contain', i => hours(i.hoursToContain), 'num'],
                    ['To resolve', i => hours(i.hoursToResolve), 'num'],
                    [
                      'Affected',
                      i => i.affectedEntities.map(shortRef).join(', '),
                    ],
                  ]}
                />
              </>
            )}

            <Lead title="Exceptions">
              <Figures
                items={[
                  ['Active', exceptions.active],
                  ['Expiring within 30 days', exceptions.expiringIn30Days],
                  ['Expired in the period', exceptions.expiredInPeriod],
                  ['Awaiting a decision', exceptions.requested],
                  ['Requested in the period', exceptions.requestedInPeriod],
                  ['Approved in the period', exceptions.approvedInPeriod],
                  ['Rejected in the period', exceptions.rejectedInPeriod],
                ]}
              />
            </Lead>
            <DataTable
              rows={exceptions.items}
              empty="No exceptions in force, pending or decided in the period."
              columns={[
                ['Control', x => x.controlTitle ?? shortRef(x.controlRef)],
                ['Entity', x => x.entityTitle ?? shortRef(x.entityRef)],
                ['Status', x => humanize(x.status)],
                ['Requested', x => formatDate(x.requestedAt)],
                ['Decided', x => formatDate(x.decidedAt)],
                [
                  'Decided by',
                  x => (x.decidedBy ? shortRef(x.decidedBy) : '—'),
                ],
                ['Expires', x => formatDate(x.expiresAt)],
                ['Justification', x => x.justification],
              ]}
            />

            <Lead title="Test coverage">
              <Figures
                items={[
                  ['Control × entity pairs', testCoverage.applicable],
                  ['Tested in the period', testCoverage.testedInPeriod],
                  ['Passing', testCoverage.passing],
                  ['Failing', testCoverage.failing],
                  ['Not tested in the period', testCoverage.notTestedInPeriod],
                  ['Never tested', testCoverage.neverTested],
                ]}
              />
            </Lead>
            <DataTable
              rows={testCoverage.byControl}
              empty="No control applies to any entity."
              columns={[
                ['Control', c => c.title],
                ['Applies to', c => c.applicable, 'num'],
                ['Tested', c => c.testedInPeriod, 'num'],
                ['Passing', c => c.passing, 'num'],
                ['Failing', c => c.failing, 'num'],
                ['Not tested', c => c.notTestedInPeriod, 'num'],
                ['Never tested', c => c.neverTested, 'num'],
              ]}
            />

            <h2>Policies due for review</h2>
            {report.policiesDueForReview ? (
              <DataTable
                rows={report.policiesDueForReview}
                empty="No approved policy is due for review."
                columns={[
                  ['Policy', p => p.title],
                  ['Version', p => p.version],
                  ['Owner', p => shortRef(p.owner)],
                  ['Approved', p => formatDate(p.approvedAt)],
                  ['Review due', p => formatDate(p.nextReviewAt)],
                ]}
              />
            ) : (
              <p className="muted">Security policies are not available.</p>
            )}

            <h2>Entities</h2>
            <DataTable<EntityPosture>
              rows={report.entities}
              empty="No entities."
              columns={[
                ['Entity', e => e.title ?? shortRef(e.entityRef)],
                ['Owner', e => (e.owner ? shortRef(e.owner) : '—')],
                ['Grade', e => e.grade],
                ['Score', e => score(e.score), 'num'],
                ...CONTROL_STATUSES.map(
                  (s): Column<EntityPosture> => [
                    humanize(s),
                    e => e.counts[s],
                    'num',
                  ],
                ),
                ['Review', e => humanize(e.review.status)],
                ...(withIncidents
                  ? [
                      [
                        'Open incidents',
                        e => total(e.openIncidents),
                        'num',
                      ] as Column<EntityPosture>,
                    ]
                  : []),
              ]}
            />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The id of the print view's Print button. */
export const PRINT_BUTTON_ID = 'print-report';

/** The report as a complete HTML page with its print stylesheet. */
export function reportHtml(report: SecurityReport): string {
  const body = renderToStaticMarkup(
    <>
      <div className="toolbar">
        <button type="button" id={PRINT_BUTTON_ID}>
          Print
        </button>
        <span className="muted">
          Choose “Save as PDF” in the print dialog to keep a copy.
        </span>
      </div>
      <main>
        <ReportDocument report={report} />
      </main>
    </>,
  );
  const title = `IT security report as of ${report.asOf.slice(0, 10)}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${REPORT_PRINT_CSS}</style></head><body>${body}</body></html>`;
}
