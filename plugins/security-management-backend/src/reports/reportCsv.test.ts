import {
  emptyControlCounts,
  emptyIncidentCounts,
  EntityPosture,
  ReportException,
  ReportIncident,
  TestReportItem,
} from '@open-itsm/plugin-security-management-common';
import {
  entitiesCsv,
  exceptionsCsv,
  incidentsCsv,
  testCoverageCsv,
  testReportCsv,
} from './reportCsv';

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

const lines = (csv: string) => csv.split('\r\n');

describe('report CSV', () => {
  describe('entities', () => {
    it('writes one row per entity after the header', () => {
      const csv = entitiesCsv([
        posture({ title: 'A', owner: 'group:default/team-a' }),
      ]);
      expect(lines(csv)).toEqual([
        'entityRef,title,kind,owner,system,domain,riskTier,score,grade,passing,failing,overdue,untested,excepted,reviewStatus,nextReviewDue,openIncidents',
        'component:default/a,A,component,group:default/team-a,,,2,70,C,3,1,0,0,0,current,2025-09-01T00:00:00.000Z,3',
        '',
      ]);
    });

    it('quotes separators and defuses spreadsheet formulas in titles', () => {
      const [, first, second] = lines(
        entitiesCsv([
          posture({ title: 'Payments, "core"' }),
          posture({ title: '=HYPERLINK("http://evil")', score: null }),
        ]),
      );
      expect(first).toContain(',"Payments, ""core""",');
      expect(second).toContain(`,"'=HYPERLINK(""http://evil"")",`);
      expect(second).toContain(',2,,C,');
    });

    it('leaves the incident cell empty for a reader who may read no incident', () => {
      const [, row] = lines(
        entitiesCsv([posture({ openIncidents: undefined })]),
      );
      expect(row.endsWith(',current,2025-09-01T00:00:00.000Z,')).toBe(true);
    });
  });

  it('writes incidents with their phases and hours', () => {
    const incident: ReportIncident = {
      id: 'i-1',
      title: '+cmd|calc, "x"',
      severity: 'high',
      status: 'closed',
      reportedAt: '2026-05-01T00:00:00.000Z',
      containedAt: '2026-05-01T04:00:00.000Z',
      closedAt: '2026-05-03T00:00:00.000Z',
      hoursToContain: 4,
      hoursToResolve: 48,
      affectedEntities: ['component:default/a', 'component:default/b'],
    };
    expect(lines(incidentsCsv([incident]))).toEqual([
      'id,title,severity,status,reportedAt,containedAt,closedAt,hoursToContain,hoursToResolve,affectedEntities',
      `i-1,"'+cmd|calc, ""x""",high,closed,2026-05-01T00:00:00.000Z,2026-05-01T04:00:00.000Z,2026-05-03T00:00:00.000Z,4,48,component:default/a component:default/b`,
      '',
    ]);
  });

  it('writes exceptions with their decision and a multi-line justification', () => {
    const exception: ReportException = {
      id: 'x-1',
      controlRef: 'securitycontrol:default/tls',
      controlTitle: 'TLS',
      entityRef: 'component:default/a',
      status: 'requested',
      justification: 'line one\nline two',
      requestedBy: 'user:default/dev',
      requestedAt: '2026-05-01T00:00:00.000Z',
      expiresAt: '2026-08-01T00:00:00.000Z',
    };
    expect(lines(exceptionsCsv([exception]))).toEqual([
      'id,controlRef,controlTitle,entityRef,entityTitle,status,requestedBy,requestedAt,decidedBy,decidedAt,expiresAt,justification',
      'x-1,securitycontrol:default/tls,TLS,component:default/a,,requested,user:default/dev,2026-05-01T00:00:00.000Z,,,2026-08-01T00:00:00.000Z,"line one\nline two"',
      '',
    ]);
  });

  it('writes one row per applicable pair for test coverage', () => {
    const csv = testCoverageCsv([
      {
        entityRef: 'component:default/a',
        entityTitle: 'A',
        owner: 'group:default/team-a',
        controlRef: 'securitycontrol:default/tls',
        controlTitle: 'TLS',
        testsInPeriod: 2,
        lastInPeriod: {
          result: 'fail',
          testedAt: Date.parse('2026-05-02T00:00:00.000Z'),
        },
        everTested: true,
      },
      {
        entityRef: 'component:default/b',
        controlRef: 'securitycontrol:default/tls',
        controlTitle: 'TLS',
        testsInPeriod: 0,
        everTested: false,
      },
    ]);
    expect(lines(csv)).toEqual([
      'entityRef,entityTitle,owner,controlRef,controlTitle,testsInPeriod,lastResultInPeriod,lastTestedInPeriod,everTested',
      'component:default/a,A,group:default/team-a,securitycontrol:default/tls,TLS,2,fail,2026-05-02T00:00:00.000Z,true',
      'component:default/b,,,securitycontrol:default/tls,TLS,0,,,false',
      '',
    ]);
  });

  it('writes one row per test of a test report', () => {
    const test: TestReportItem = {
      id: 't-1',
      controlRef: 'securitycontrol:default/tls',
      controlTitle: 'TLS',
      entityRef: 'component:default/a',
      result: 'pass',
      method: 'manual',
      testedAt: '2026-05-02T00:00:00.000Z',
      tester: 'user:default/tester',
      evidenceUrl: 'https://ci.example.com/runs/1?a=1,b=2',
      notes: '@SUM(A1)',
      externalId: '-42',
      recordedAt: '2026-05-02T00:01:00.000Z',
    };
    expect(lines(testReportCsv([test]))).toEqual([
      'testedAt,controlRef,controlTitle,entityRef,entityTitle,result,method,tester,evidenceUrl,notes,externalId,recordedAt,id',
      `2026-05-02T00:00:00.000Z,securitycontrol:default/tls,TLS,component:default/a,,pass,manual,user:default/tester,"https://ci.example.com/runs/1?a=1,b=2",'@SUM(A1),'-42,2026-05-02T00:01:00.000Z,t-1`,
      '',
    ]);
  });
});
