import {
  SECURITY_POLICY_API_VERSION,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
  testCatalog,
} from '../__testUtils__/securityBackend';
import {
  createSecurityIncidentConditionalDecision,
  securityIncidentConditions,
} from '../incidents/conditionExports';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const REPORT_READ = securityReportReadPermission.name;
const INCIDENT_READ = securityIncidentReadPermission.name;

jest.setTimeout(30_000);

describe('report routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend();
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  function grant(decisions: Parameters<typeof setPermissions>[1]) {
    setPermissions(ctx.permissions, decisions);
  }

  describe('report', () => {
    it('returns the report as JSON', async () => {
      grant(allow(securityReportReadPermission.name));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body.summary).toMatchObject({
        entityCount: 2,
        controlCount: 2,
        counts: { untested: 3 },
        score: 0,
      });
      expect(res.body.entities).toHaveLength(2);
    });

    it('returns the report as a CSV attachment', async () => {
      grant(allow(REPORT_READ, INCIDENT_READ));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query({ format: 'csv' })
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="security-report-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'entityRef,title,kind,owner,system,domain,riskTier,score,grade,passing,failing,overdue,untested,excepted,reviewStatus,nextReviewDue,openIncidents',
      );
      expect(lines).toHaveLength(3);
      expect(lines).toContain(
        `${refs.payments},Payments API,component,${refs.teamA},system:default/payments,domain:default/finance,1,0,F,0,0,0,2,0,never-reviewed,,0`,
      );
    });

    it('needs the report permission', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      expect(res.status).toBe(403);
    });
  });

  describe('open incidents in the report', () => {
    const noIncidents = { critical: 0, high: 0, medium: 0, low: 0 };

    /** A high incident on payments-api (team-a), a critical one on ledger (team-b). */
    async function seed() {
      grant(allow(securityIncidentCreatePermission.name));
      for (const [entityRef, severity] of [
        [refs.payments, 'high'],
        [refs.ledger, 'critical'],
      ]) {
        const res = await request(ctx.server)
          .post(`${base}/incidents`)
          .set(as.ci())
          .send({
            title: 'Leaked key',
            severity,
            affectedEntities: [entityRef],
          });
        expect(res.status).toBe(201);
      }
    }

    async function report(format: 'json' | 'csv') {
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query({ format })
        .set(as.user('bob'));
      expect(res.status).toBe(200);
      return res;
    }

    /** The openIncidents cell of each entity's CSV row, by entity ref. */
    function csvIncidents(text: string) {
      const [header, ...rows] = text.trim().split('\r\n');
      expect(header.split(',').pop()).toBe('openIncidents');
      return Object.fromEntries(
        rows.map(row => [row.split(',')[0], row.split(',').pop()]),
      );
    }

    it('counts only the incidents a conditional decision lets the caller read', async () => {
      await seed();
      grant({
        ...allow(REPORT_READ),
        [INCIDENT_READ]: createSecurityIncidentConditionalDecision(
          securityIncidentReadPermission,
          securityIncidentConditions.affectsOwnedEntity({
            ownerRefs: [refs.teamA],
          }),
        ),
      });

      const { body } = await report('json');
      expect(body.summary.openIncidents).toEqual({ ...noIncidents, high: 1 });
      expect(body.incidents).toMatchObject({ open: 1, resolvedInPeriod: 0 });
      const entities = Object.fromEntries(
        body.entities.map((e: { entityRef: string }) => [e.entityRef, e]),
      );
      expect(entities[refs.payments].openIncidents).toEqual({
        ...noIncidents,
        high: 1,
      });
      expect(entities[refs.ledger].openIncidents).toEqual(noIncidents);
      const owners = Object.fromEntries(
        body.byOwner.map((item: { key: string }) => [item.key, item]),
      );
      expect(owners[refs.teamB].openIncidents).toEqual(noIncidents);

      const csv = await report('csv');
      expect(csvIncidents(csv.text)).toEqual({
        [refs.payments]: '1',
        [refs.ledger]: '0',
      });
    });

    it('leaves incident figures out for a caller who may read no incident', async () => {
      await seed();
      grant(allow(REPORT_READ));

      const { body } = await report('json');
      expect(body.summary).not.toHaveProperty('openIncidents');
      expect(body).not.toHaveProperty('incidents');
      for (const item of [...body.entities, ...body.byOwner]) {
        expect(item).not.toHaveProperty('openIncidents');
      }

      const csv = await report('csv');
      expect(csvIncidents(csv.text)).toEqual({
        [refs.payments]: '',
        [refs.ledger]: '',
      });
    });
  });

  const DAY = 24 * 60 * 60 * 1000;
  const daysAgo = (days: number) =>
    new Date(Date.now() - days * DAY).toISOString();

  /** Records tests through the API, as CI would. */
  async function recordTests(
    records: Array<{
      controlRef: string;
      entityRef: string;
      result: string;
      testedAt: string;
      notes?: string;
      evidenceUrl?: string;
    }>,
  ) {
    grant(allow(securityTestRecordCreatePermission.name));
    const res = await request(ctx.server)
      .post(`${base}/test-records/batch`)
      .set(as.ci())
      .send({ records });
    expect(res.status).toBe(201);
  }

  describe('as of an instant and over a period', () => {
    it('defaults to now and the 90 days before, with every section', async () => {
      grant(allow(REPORT_READ));
      const before = Date.now();
      const { body } = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      const asOf = Date.parse(body.asOf);
      expect(asOf).toBeGreaterThanOrEqual(before);
      expect(body.period).toEqual({
        from: new Date(asOf - 90 * DAY).toISOString(),
        to: body.asOf,
      });
      expect(body.bySystem.map((g: { key: string }) => g.key)).toEqual([
        'system:default/payments',
        null,
      ]);
      expect(body.byDomain.map((g: { key: string }) => g.key)).toEqual([
        'domain:default/finance',
        null,
      ]);
      expect(body.testCoverage).toMatchObject({
        applicable: 3,
        testedInPeriod: 0,
        neverTested: 3,
      });
      expect(body.exceptions).toMatchObject({ active: 0, items: [] });
    });

    it('does not count a test tested after as-of', async () => {
      await recordTests([
        {
          controlRef: refs.tls,
          entityRef: refs.ledger,
          result: 'pass',
          testedAt: daysAgo(20),
        },
        {
          controlRef: refs.tls,
          entityRef: refs.ledger,
          result: 'fail',
          testedAt: daysAgo(5),
        },
      ]);
      grant(allow(REPORT_READ));
      const ledger = async (query: Record<string, string>) => {
        const res = await request(ctx.server)
          .get(`${base}/report`)
          .query(query)
          .set(as.user());
        expect(res.status).toBe(200);
        return res.body.entities.find(
          (e: { entityRef: string }) => e.entityRef === refs.ledger,
        ).counts;
      };
      expect(await ledger({})).toMatchObject({ failing: 1, passing: 0 });
      expect(await ledger({ asOf: daysAgo(10) })).toMatchObject({
        failing: 0,
        passing: 1,
      });
      expect(await ledger({ asOf: daysAgo(30) })).toMatchObject({
        untested: 1,
      });
    });

    it.each([
      [
        'an as-of tomorrow',
        { asOf: new Date(Date.now() + DAY).toISOString() },
        /asOf: .* is more than 5 minutes in the future/,
      ],
      [
        'a period ending after as-of',
        { asOf: daysAgo(10), to: daysAgo(5) },
        /to: must not be after asOf/,
      ],
      [
        'a period ending before it starts',
        { from: daysAgo(5), to: daysAgo(10) },
        /to: must not be before from/,
      ],
      [
        'an unknown CSV section',
        { section: 'everything', format: 'csv' },
        /section: /,
      ],
      ['an as-of that is no timestamp', { asOf: 'yesterday' }, /asOf: /],
    ])('refuses %s with a 400 naming the field', async (_, query, message) => {
      grant(allow(REPORT_READ));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query(query)
        .set(as.user());
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });
  });

  describe('CSV sections', () => {
    async function csv(section: string, user = 'alice') {
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query({ format: 'csv', section })
        .set(as.user(user));
      return res;
    }

    it('downloads exceptions and test coverage as their own tables', async () => {
      await recordTests([
        {
          controlRef: refs.tls,
          entityRef: refs.payments,
          result: 'fail',
          testedAt: daysAgo(3),
        },
      ]);
      grant(allow(REPORT_READ));
      const tests = await csv('tests');
      expect(tests.status).toBe(200);
      expect(tests.headers['content-disposition']).toMatch(
        /^attachment; filename="security-report-tests-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const rows = tests.text.trim().split('\r\n');
      expect(rows[0]).toBe(
        'entityRef,entityTitle,owner,controlRef,controlTitle,testsInPeriod,lastResultInPeriod,lastTestedInPeriod,everTested',
      );
      expect(rows).toHaveLength(4);
      expect(rows).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${refs.payments},Payments API,${refs.teamA},${refs.tls},Encrypt data in transit,1,fail,[^,]+,true$`,
          ),
        ),
      );
      const exceptions = await csv('exceptions');
      expect(exceptions.status).toBe(200);
      expect(exceptions.text).toBe(
        'id,controlRef,controlTitle,entityRef,entityTitle,status,requestedBy,requestedAt,decidedBy,decidedAt,expiresAt,justification\r\n',
      );
    });

    it('downloads only the incidents the caller may read, and refuses the table to one who may read none', async () => {
      grant(allow(securityIncidentCreatePermission.name));
      for (const [entityRef, title] of [
        [refs.payments, 'Visible, "quoted"'],
        [refs.ledger, 'Hidden'],
      ]) {
        const res = await request(ctx.server)
          .post(`${base}/incidents`)
          .set(as.ci())
          .send({ title, severity: 'high', affectedEntities: [entityRef] });
        expect(res.status).toBe(201);
      }
      grant({
        ...allow(REPORT_READ),
        [INCIDENT_READ]: createSecurityIncidentConditionalDecision(
          securityIncidentReadPermission,
          securityIncidentConditions.affectsOwnedEntity({
            ownerRefs: [refs.teamA],
          }),
        ),
      });
      const res = await csv('incidents', 'bob');
      expect(res.status).toBe(200);
      const [header, ...rows] = res.text.trim().split('\r\n');
      expect(header).toBe(
        'id,title,severity,status,reportedAt,containedAt,closedAt,hoursToContain,hoursToResolve,affectedEntities',
      );
      expect(rows).toEqual([
        expect.stringMatching(
          new RegExp(
            `^[^,]+,"Visible, ""quoted""",high,reported,[^,]+,,,,,${refs.payments}$`,
          ),
        ),
      ]);

      grant(allow(REPORT_READ));
      const refused = await csv('incidents', 'bob');
      expect(refused.status).toBe(403);
      expect(refused.text).not.toContain('Visible');
    });
  });

  describe('test reports', () => {
    async function testReport(query: Record<string, string>) {
      return request(ctx.server)
        .get(`${base}/reports/tests`)
        .query(query)
        .set(as.user());
    }

    beforeEach(async () => {
      await recordTests([
        {
          controlRef: refs.tls,
          entityRef: refs.payments,
          result: 'pass',
          testedAt: daysAgo(10),
          notes: 'Scanned, "all" endpoints',
          evidenceUrl: 'https://ci.example.com/runs/4711',
        },
        {
          controlRef: refs.mfa,
          entityRef: refs.payments,
          result: 'partial',
          testedAt: daysAgo(5),
        },
        {
          controlRef: refs.tls,
          entityRef: refs.payments,
          result: 'fail',
          testedAt: daysAgo(200),
        },
      ]);
    });

    it('lists every test of a control in the period, and the pairs left untested', async () => {
      grant(allow(POSTURE_READ));
      const res = await testReport({ controlRef: 'encrypt-data-in-transit' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        control: {
          ref: refs.tls,
          title: 'Encrypt data in transit',
          cadence: 'P90D',
          method: 'automated',
        },
        summary: {
          tests: 1,
          byResult: { pass: 1, fail: 0, partial: 0, error: 0 },
          applicable: 2,
          testedInPeriod: 1,
        },
        tests: [
          {
            controlRef: refs.tls,
            entityRef: refs.payments,
            entityTitle: 'Payments API',
            result: 'pass',
            method: 'automated',
            tester: 'ci-pipeline',
            evidenceUrl: 'https://ci.example.com/runs/4711',
            notes: 'Scanned, "all" endpoints',
          },
        ],
        notTested: [{ controlRef: refs.tls, entityRef: refs.ledger }],
      });
      expect(res.body).not.toHaveProperty('entity');
    });

    it("downloads a service's tests of a period as CSV", async () => {
      grant(allow(POSTURE_READ));
      const res = await testReport({
        entityRef: refs.payments,
        from: daysAgo(365),
        format: 'csv',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="test-report-component-default-payments-api-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const [header, ...rows] = res.text.trim().split('\r\n');
      expect(header).toBe(
        'testedAt,controlRef,controlTitle,entityRef,entityTitle,result,method,tester,evidenceUrl,notes,externalId,recordedAt,id',
      );
      expect(rows.map(row => row.split(',')[5])).toEqual([
        'partial',
        'pass',
        'fail',
      ]);
      expect(rows[1]).toContain(
        ',https://ci.example.com/runs/4711,"Scanned, ""all"" endpoints",',
      );
    });

    it('needs posture.read, one ref, and a ref that is known', async () => {
      grant(allow(REPORT_READ));
      expect((await testReport({ controlRef: refs.tls })).status).toBe(403);

      grant(allow(POSTURE_READ));
      const none = await testReport({});
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(
        /controlRef: controlRef or entityRef is required/,
      );
      const unknown = await testReport({ entityRef: 'component:default/nope' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(
        /No entity 'component:default\/nope'/,
      );
    });
  });
});

describe('policies due for review in the report', () => {
  const DAY = 24 * 60 * 60 * 1000;

  function policy(name: string, approvedDaysAgo: number) {
    return {
      apiVersion: SECURITY_POLICY_API_VERSION,
      kind: 'SecurityPolicy',
      metadata: { name, namespace: 'default', title: name },
      spec: {
        owner: 'security-team',
        version: '1.0',
        status: 'approved',
        approval: {
          approver: 'user:default/ciso',
          approvedAt: new Date(
            Date.now() - approvedDaysAgo * DAY,
          ).toISOString(),
        },
        review: { cadence: 'P1Y' },
        statements: [
          {
            id: 's',
            text: 'TLS everywhere.',
            controls: ['encrypt-data-in-transit'],
          },
        ],
      },
    };
  }

  it('lists the approved policies whose review is due at as-of', async () => {
    const ctx = await startSecurityBackend({
      entities: [
        ...testCatalog(),
        // Due 10 days ago, and in 165 days.
        policy('overdue-policy', 375),
        policy('current-policy', 200),
      ],
    });
    try {
      await ctx.scheduler.triggerTask('security-management-policy-sync');
      setPermissions(ctx.permissions, allow(securityReportReadPermission.name));
      const report = async (query: Record<string, string>) => {
        const res = await request(ctx.server)
          .get(`${base}/report`)
          .query(query)
          .set(as.user());
        expect(res.status).toBe(200);
        return res.body.policiesDueForReview.map((p: { ref: string }) => p.ref);
      };
      expect(await report({})).toEqual([
        'securitypolicy:default/overdue-policy',
      ]);
      const monthAgo = new Date(Date.now() - 30 * DAY).toISOString();
      expect(await report({ asOf: monthAgo })).toEqual([]);
    } finally {
      await ctx.backend.stop();
    }
  });
});
