import {
  emptyControlCounts,
  emptyIncidentCounts,
  EntityPosture,
  SecurityReport,
} from '@open-itsm/plugin-security-management-common';
import { reportToCsv } from './ReportBuilder';

function posture(overrides: Partial<EntityPosture>): EntityPosture {
  return {
    entityRef: 'component:default/a',
    kind: 'component',
    riskTier: 2,
    counts: { ...emptyControlCounts(), passing: 3, failing: 1 },
    review: {
      status: 'current',
      nextDueAt: '2025-09-01T00:00:00.000Z',
      riskTier: 2,
    },
    openIncidents: { ...emptyIncidentCounts(), high: 1, low: 2 },
    score: 70,
    grade: 'C',
    ...overrides,
  };
}

function report(entities: EntityPosture[]): SecurityReport {
  return { entities } as SecurityReport;
}

describe('reportToCsv', () => {
  it('writes one row per entity after the header', () => {
    const csv = reportToCsv(
      report([posture({ title: 'A', owner: 'group:default/team-a' })]),
    );
    expect(csv.split('\r\n')).toEqual([
      'entityRef,title,kind,owner,system,domain,riskTier,score,grade,passing,failing,overdue,untested,excepted,reviewStatus,nextReviewDue,openIncidents',
      'component:default/a,A,component,group:default/team-a,,,2,70,C,3,1,0,0,0,current,2025-09-01T00:00:00.000Z,3',
      '',
    ]);
  });

  it('quotes separators and defuses spreadsheet formulas in titles', () => {
    const csv = reportToCsv(
      report([
        posture({ title: 'Payments, "core"' }),
        posture({ title: '=HYPERLINK("http://evil")', score: null }),
      ]),
    );
    const [, first, second] = csv.split('\r\n');
    expect(first).toContain(',"Payments, ""core""",');
    expect(second).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(second).toContain(',2,,C,');
  });
});
