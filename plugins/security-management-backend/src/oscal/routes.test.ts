import {
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import {
  assessmentResultsProblems,
  componentDefinitionProblems,
} from './__testUtils__/validateOscal';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const TEST_CREATE = securityTestRecordCreatePermission.name;

jest.setTimeout(30_000);

describe('OSCAL routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend({
      config: { backend: { baseUrl: 'http://localhost:7007' } },
    });
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  function grant(decisions: Parameters<typeof setPermissions>[1]) {
    setPermissions(ctx.permissions, decisions);
  }

  const get = (path: string, query: Record<string, string> = {}) =>
    request(ctx.server)
      .get(`${base}/oscal/${path}`)
      .query(query)
      .set(as.user());

  it('answers the component definition as a valid OSCAL JSON attachment', async () => {
    grant(allow(POSTURE_READ));
    const res = await get('component-definition', {
      entityRef: 'Component:payments-api',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="oscal-component-definition-component-default-payments-api.json"',
    );
    expect(componentDefinitionProblems(res.body)).toEqual([]);
    const [component] = res.body['component-definition'].components;
    expect(component).toMatchObject({ type: 'service', title: 'Payments API' });
    expect(
      component['control-implementations'].map((i: any) =>
        i['implemented-requirements'].map((r: any) => r['control-id']),
      ),
    ).toEqual([['sc-8'], ['mfa-admin-access']]);
  });

  it('answers the test records of a period as valid OSCAL assessment results', async () => {
    grant(allow(POSTURE_READ, TEST_CREATE));
    const testedAt = (daysAgo: number) =>
      new Date(Date.now() - daysAgo * 24 * 3600_000).toISOString();
    const posted = await request(ctx.server)
      .post(`${base}/test-records/batch`)
      .set(as.ci())
      .send({
        records: [
          {
            controlRef: refs.tls,
            entityRef: refs.payments,
            result: 'pass',
            testedAt: testedAt(400),
          },
          {
            controlRef: refs.tls,
            entityRef: refs.payments,
            result: 'fail',
            testedAt: testedAt(3),
            evidenceUrl: 'https://ci.example.com/runs/7',
          },
          {
            controlRef: refs.mfa,
            entityRef: refs.payments,
            result: 'pass',
            testedAt: testedAt(2),
          },
        ],
      });
    expect(posted.status).toBe(201);

    const res = await get('assessment-results', { entityRef: refs.payments });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="oscal-assessment-results-component-default-payments-api-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(assessmentResultsProblems(res.body)).toEqual([]);
    const [result] = res.body['assessment-results'].results;
    // The last 365 days by default: the test of 400 days ago is left out.
    expect(result.observations.map((o: any) => o.title)).toEqual([
      'MFA for admin access: pass',
      'Encrypt data in transit: fail',
    ]);
    expect(result.observations[1]['relevant-evidence']).toEqual([
      {
        href: 'https://ci.example.com/runs/7',
        description: 'Evidence recorded with the test.',
      },
    ]);
    expect(
      result.findings.map((f: any) => [
        f.target['target-id'],
        f.target.status.state,
      ]),
    ).toEqual([
      ['encrypt-data-in-transit', 'not-satisfied'],
      ['mfa-admin-access', 'satisfied'],
    ]);
    const plan = res.body['assessment-results']['back-matter'].resources.find(
      (r: any) =>
        `#${r.uuid}` === res.body['assessment-results']['import-ap'].href,
    );
    expect(plan.rlinks[0].href).toBe(
      'http://localhost:7007/api/security-management/oscal/component-definition?entityRef=component%3Adefault%2Fpayments-api',
    );

    const older = await get('assessment-results', {
      entityRef: refs.payments,
      from: testedAt(500),
      to: testedAt(300),
    });
    expect(older.status).toBe(200);
    expect(
      older.body['assessment-results'].results[0].observations.map(
        (o: any) => o.title,
      ),
    ).toEqual(['Encrypt data in transit: pass']);
  });

  it.each(['component-definition', 'assessment-results'])(
    'answers 404 for %s of an entity the plugin does not know',
    async path => {
      grant(allow(POSTURE_READ));
      for (const entityRef of [refs.lonely, 'component:default/nowhere']) {
        const res = await get(path, { entityRef });
        expect(res.status).toBe(404);
        expect(res.body.error.message).toContain(entityRef);
      }
    },
  );

  it('answers 400 naming the field for bad input', async () => {
    grant(allow(POSTURE_READ));
    const problems = [
      ['component-definition', {}, 'entityRef'],
      ['assessment-results', { entityRef: 'payments-api' }, 'entityRef'],
      [
        'assessment-results',
        { entityRef: refs.payments, from: 'last year' },
        'from',
      ],
      [
        'assessment-results',
        {
          entityRef: refs.payments,
          from: '2026-01-02T00:00:00Z',
          to: '2026-01-01T00:00:00Z',
        },
        'to: must not be before from',
      ],
      [
        'assessment-results',
        { entityRef: refs.payments, to: '3000-01-01T00:00:00Z' },
        'to: must be before the year 3000',
      ],
      [
        'assessment-results',
        { entityRef: refs.payments, from: '2999-01-01T00:00:00Z' },
        'from: must not be after to',
      ],
    ] as const;
    for (const [path, query, field] of problems) {
      const res = await get(path, query as Record<string, string>);
      expect({ path, query, status: res.status }).toEqual({
        path,
        query,
        status: 400,
      });
      expect(res.body.error.message).toContain(field);
    }
  });

  it.each(['component-definition', 'assessment-results'])(
    'refuses %s without posture.read, before looking at the input',
    async path => {
      grant(allow(TEST_CREATE));
      const queries: Record<string, string>[] = [
        { entityRef: refs.payments },
        {},
      ];
      for (const query of queries) {
        const res = await get(path, query);
        expect(res.status).toBe(403);
      }
    },
  );
});
