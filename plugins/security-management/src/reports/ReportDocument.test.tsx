import { render, screen, within } from '@testing-library/react';
import { SecurityReport } from '@open-itsm/plugin-security-management-common';
import { posture, report, rollupItem } from '../__testUtils__/fixtures';
import { formatDate, formatDateTime } from '../lib/format';
import { ReportDocument, reportHtml } from './ReportDocument';

function fullReport(): SecurityReport {
  const base = report();
  return {
    ...base,
    asOf: '2026-03-31T21:59:59.999Z',
    period: {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-03-31T21:59:59.999Z',
    },
    byOwner: [rollupItem('group:default/team-a')],
    bySystem: [rollupItem(null, { openIncidents: undefined })],
    byDomain: [],
    entities: [posture({ entityRef: 'component:default/shop', title: 'Shop' })],
    incidents: {
      ...base.incidents!,
      items: [
        {
          id: 'i-1',
          title: 'Leaked <key>',
          severity: 'high',
          status: 'closed',
          reportedAt: '2026-02-01T00:00:00.000Z',
          containedAt: '2026-02-01T04:00:00.000Z',
          closedAt: '2026-02-03T00:00:00.000Z',
          hoursToContain: 4,
          hoursToResolve: 48,
          affectedEntities: ['component:default/shop'],
        },
      ],
    },
    policiesDueForReview: [
      {
        ref: 'securitypolicy:default/access',
        title: 'Access Control Policy',
        owner: 'group:default/security-team',
        version: '1.0',
        nextReviewAt: '2026-03-01T00:00:00.000Z',
      },
    ],
  };
}

describe('ReportDocument', () => {
  it('heads every page with the title, as-of and period, and shows every section', () => {
    const { container } = render(<ReportDocument report={fullReport()} />);
    const header = container.querySelector('table.page > thead')!;
    expect(header).toHaveTextContent('IT security report');
    expect(header).toHaveTextContent(
      `As of ${formatDateTime('2026-03-31T21:59:59.999Z')}`,
    );
    expect(header).toHaveTextContent(
      `Period ${formatDate('2026-01-01T00:00:00.000Z')} – ${formatDate(
        '2026-03-31T21:59:59.999Z',
      )}`,
    );
    for (const heading of [
      'Summary',
      'Posture by owner, system and domain',
      'Incidents',
      'Exceptions',
      'Test coverage',
      'Policies due for review',
      'Entities',
    ]) {
      expect(
        screen.getByRole('heading', { name: heading }),
      ).toBeInTheDocument();
    }
    expect(screen.getByText('Leaked <key>')).toBeInTheDocument();
    expect(screen.getByText('Access Control Policy')).toBeInTheDocument();
    // In the summary and in the incidents section.
    expect(screen.getAllByText('5.3 h')).toHaveLength(2);
  });

  it('has no incident figures, table or column for a reader who may read no incident', () => {
    const { incidents, ...rest } = fullReport();
    const withoutIncidents: SecurityReport = {
      ...rest,
      summary: { ...rest.summary, openIncidents: undefined },
      byOwner: [
        rollupItem('group:default/team-a', { openIncidents: undefined }),
      ],
      entities: [posture({ openIncidents: undefined })],
    };
    expect(incidents).toBeDefined();
    const { container } = render(<ReportDocument report={withoutIncidents} />);
    expect(screen.queryByRole('heading', { name: 'Incidents' })).toBeNull();
    expect(screen.queryByText(/incident/i)).toBeNull();
    expect(screen.queryByText('Mean time to contain')).toBeNull();
    for (const table of container.querySelectorAll('table.data')) {
      expect(
        within(table as HTMLElement).queryByText('Open incidents'),
      ).toBeNull();
    }
  });

  it('names who decided each exception and when', () => {
    const base = fullReport();
    render(
      <ReportDocument
        report={{
          ...base,
          exceptions: {
            ...base.exceptions,
            items: [
              {
                id: 'x-1',
                controlRef: 'securitycontrol:default/mfa',
                entityRef: 'component:default/shop',
                status: 'approved',
                justification: 'Console being retired',
                requestedBy: 'user:default/bob',
                requestedAt: '2026-02-01T00:00:00.000Z',
                decidedBy: 'user:default/carol',
                decidedAt: '2026-02-02T00:00:00.000Z',
                expiresAt: '2026-06-01T00:00:00.000Z',
              },
            ],
          },
        }}
      />,
    );
    const row = screen.getByText('Console being retired').closest('tr')!;
    expect(within(row).getByText('carol')).toBeInTheDocument();
    expect(
      within(row).getByText(formatDate('2026-02-02T00:00:00.000Z')),
    ).toBeInTheDocument();
  });

  it('says so when the backend has no security policies', () => {
    render(
      <ReportDocument
        report={{ ...fullReport(), policiesDueForReview: undefined }}
      />,
    );
    expect(
      screen.getByText('Security policies are not available.'),
    ).toBeInTheDocument();
  });
});

describe('reportHtml', () => {
  it('is a page of its own with print styles, and escapes what users wrote', () => {
    const html = reportHtml(fullReport());
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain(
      '<title>IT security report as of 2026-03-31</title>',
    );
    expect(html).toMatch(/@media print \{\s*\.toolbar \{ display: none; \}/);
    expect(html).toContain(
      'table.page > thead { display: table-header-group; }',
    );
    expect(html).toContain('break-inside: avoid');
    expect(html).toContain('Leaked &lt;key&gt;');
    expect(html).not.toContain('Leaked <key>');
  });
});
