import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SecurityManagementClient } from './SecurityManagementClient';

const basePath = '/api/security-management';
const baseUrl = `http://backstage${basePath}`;
const server = setupServer();

describe('SecurityManagementClient', () => {
  registerMswTestHooks(server);

  const discoveryApi = { getBaseUrl: jest.fn(async () => baseUrl) };
  const client = new SecurityManagementClient({
    discoveryApi,
    fetchApi: new MockFetchApi(),
  });

  it('asks discovery for the security-management plugin', async () => {
    server.use(
      http.get(`${baseUrl}/controls`, () => HttpResponse.json({ items: [] })),
    );
    await expect(client.listControls()).resolves.toEqual({ items: [] });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('security-management');
  });

  it('encodes the entity ref of the posture query', async () => {
    let search = '';
    server.use(
      http.get(`${baseUrl}/posture/entity`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json({ entityRef: 'component:default/shop' });
      }),
    );
    await client.getEntityPosture({ entityRef: 'component:default/shop' });
    expect(search).toBe('?entityRef=component%3Adefault%2Fshop');
  });

  it('repeats array parameters and omits undefined ones', async () => {
    let params = new URLSearchParams();
    server.use(
      http.get(`${baseUrl}/incidents`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listIncidents({
      status: ['reported', 'triaged'],
      severity: ['critical'],
      open: true,
      limit: 20,
      owner: undefined,
    });
    expect(params.getAll('status')).toEqual(['reported', 'triaged']);
    expect(params.getAll('severity')).toEqual(['critical']);
    expect(params.get('open')).toBe('true');
    expect(params.get('limit')).toBe('20');
    expect(params.has('owner')).toBe(false);
  });

  it('lists posture filtered by owner and control status', async () => {
    let params = new URLSearchParams();
    server.use(
      http.get(`${baseUrl}/posture`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listPosture({
      owner: 'group:default/payments',
      controlStatus: ['failing', 'overdue'],
    });
    expect(params.get('owner')).toBe('group:default/payments');
    expect(params.getAll('controlStatus')).toEqual(['failing', 'overdue']);
  });

  it('rolls up by the requested dimension', async () => {
    server.use(
      http.get(`${baseUrl}/posture/rollup`, ({ request }) =>
        HttpResponse.json({
          by: new URL(request.url).searchParams.get('by'),
          items: [],
        }),
      ),
    );
    await expect(client.getPostureRollup({ by: 'system' })).resolves.toEqual({
      by: 'system',
      items: [],
    });
  });

  it('posts a batch of entity refs for posture', async () => {
    let body: unknown;
    server.use(
      http.post(`${baseUrl}/posture/batch`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ items: [] });
      }),
    );
    await client.getPostureBatch({ entityRefs: ['component:default/a'] });
    expect(body).toEqual({ entityRefs: ['component:default/a'] });
  });

  it('posts a test record as JSON', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      http.post(`${baseUrl}/test-records`, async ({ request }) => {
        body = await request.json();
        contentType = request.headers.get('content-type');
        return HttpResponse.json(
          { record: { id: 'r1' }, created: true },
          { status: 201 },
        );
      }),
    );
    const input = {
      controlRef: 'securitycontrol:default/tls',
      entityRef: 'component:default/shop',
      result: 'fail' as const,
      evidenceUrl: 'https://ci.example.com/run/1',
    };
    await expect(client.createTestRecord(input)).resolves.toEqual({
      record: { id: 'r1' },
      created: true,
    });
    expect(body).toEqual(input);
    expect(contentType).toBe('application/json');
  });

  it('posts a batch of test records', async () => {
    let body: unknown;
    server.use(
      http.post(`${baseUrl}/test-records/batch`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          items: [],
          createdCount: 0,
          duplicateCount: 0,
        });
      }),
    );
    await client.createTestRecords({ records: [] });
    expect(body).toEqual({ records: [] });
  });

  it('lists test records of an entity', async () => {
    let params = new URLSearchParams();
    server.use(
      http.get(`${baseUrl}/test-records`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listTestRecords({
      entityRef: 'component:default/shop',
      offset: 50,
    });
    expect(params.get('entityRef')).toBe('component:default/shop');
    expect(params.get('offset')).toBe('50');
  });

  it('addresses one incident by its encoded id', async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${baseUrl}/incidents/:id`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json({ id: 'a/b' });
      }),
      http.get(`${baseUrl}/incidents/:id/timeline`, ({ params }) =>
        HttpResponse.json({ items: [{ incidentId: params.id }] }),
      ),
    );
    await client.getIncident({ id: 'a/b' });
    expect(paths).toEqual(['/api/security-management/incidents/a%2Fb']);
    await expect(client.getIncidentTimeline({ id: 'i-1' })).resolves.toEqual({
      items: [{ incidentId: 'i-1' }],
    });
  });

  it('creates, patches, transitions and reviews incidents', async () => {
    const calls: Array<{ method: string; path: string; body: unknown }> = [];
    const record = async ({ request }: { request: Request }) => {
      calls.push({
        method: request.method,
        path: new URL(request.url).pathname.replace(basePath, ''),
        body: await request.json(),
      });
      return HttpResponse.json({ id: 'i-1' });
    };
    server.use(
      http.post(`${baseUrl}/incidents`, record),
      http.patch(`${baseUrl}/incidents/:id`, record),
      http.post(`${baseUrl}/incidents/:id/transitions`, record),
      http.put(`${baseUrl}/incidents/:id/review`, record),
      http.patch(`${baseUrl}/remediation-actions/:id`, record),
    );

    await client.createIncident({
      title: 'Leak',
      severity: 'high',
      affectedEntities: ['component:default/shop'],
    });
    await client.updateIncident({
      id: 'i-1',
      patch: { version: 2, title: 'Data leak' },
    });
    await client.transitionIncident({ id: 'i-1', to: 'triaged', version: 3 });
    await client.setIncidentReview({
      id: 'i-1',
      review: {
        version: 4,
        rootCause: 'Open bucket',
        lessons: 'Scan buckets',
        remediationActions: [
          {
            title: 'Close bucket',
            owner: 'group:default/team-a',
            dueAt: '2026-07-01T00:00:00.000Z',
          },
        ],
      },
    });
    await client.updateRemediationAction({ id: 'a-1', status: 'done' });

    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/incidents',
        body: {
          title: 'Leak',
          severity: 'high',
          affectedEntities: ['component:default/shop'],
        },
      },
      {
        method: 'PATCH',
        path: '/incidents/i-1',
        body: { version: 2, title: 'Data leak' },
      },
      {
        method: 'POST',
        path: '/incidents/i-1/transitions',
        body: { to: 'triaged', version: 3 },
      },
      {
        method: 'PUT',
        path: '/incidents/i-1/review',
        body: {
          version: 4,
          rootCause: 'Open bucket',
          lessons: 'Scan buckets',
          remediationActions: [
            {
              title: 'Close bucket',
              owner: 'group:default/team-a',
              dueAt: '2026-07-01T00:00:00.000Z',
            },
          ],
        },
      },
      {
        method: 'PATCH',
        path: '/remediation-actions/a-1',
        body: { status: 'done' },
      },
    ]);
  });

  it('lists and creates reviews', async () => {
    let params = new URLSearchParams();
    let body: unknown;
    server.use(
      http.get(`${baseUrl}/reviews`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
      http.post(`${baseUrl}/reviews`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ id: 'rv-1' }, { status: 201 });
      }),
    );
    await client.listReviews({ entityRef: 'component:default/shop' });
    expect(params.get('entityRef')).toBe('component:default/shop');
    await client.createReview({
      entityRef: 'component:default/shop',
      outcome: 'approved',
      findings: 'Fine',
    });
    expect(body).toEqual({
      entityRef: 'component:default/shop',
      outcome: 'approved',
      findings: 'Fine',
    });
  });

  it('requests, approves and rejects exceptions', async () => {
    const calls: Array<{ path: string; body: unknown }> = [];
    const record = async ({ request }: { request: Request }) => {
      calls.push({
        path: new URL(request.url).pathname,
        body: await request.json(),
      });
      return HttpResponse.json({ id: 'e-1' });
    };
    server.use(
      http.post(`${baseUrl}/exceptions`, record),
      http.post(`${baseUrl}/exceptions/:id/approve`, record),
      http.post(`${baseUrl}/exceptions/:id/reject`, record),
    );
    await client.requestException({
      controlRef: 'securitycontrol:default/tls',
      entityRef: 'component:default/shop',
      justification: 'Legacy client',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    await client.approveException({ id: 'e-1', note: 'OK for now' });
    await client.rejectException({ id: 'e-2' });
    expect(calls).toEqual([
      {
        path: '/api/security-management/exceptions',
        body: {
          controlRef: 'securitycontrol:default/tls',
          entityRef: 'component:default/shop',
          justification: 'Legacy client',
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
      },
      {
        path: '/api/security-management/exceptions/e-1/approve',
        body: { note: 'OK for now' },
      },
      { path: '/api/security-management/exceptions/e-2/reject', body: {} },
    ]);
  });

  it('lists exceptions by status and expiry', async () => {
    let params = new URLSearchParams();
    server.use(
      http.get(`${baseUrl}/exceptions`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listExceptions({
      status: ['approved'],
      expiresBefore: '2030-01-01T00:00:00.000Z',
    });
    expect(params.getAll('status')).toEqual(['approved']);
    expect(params.get('expiresBefore')).toBe('2030-01-01T00:00:00.000Z');
  });

  it('reads the control coverage and the schedule', async () => {
    let coverage = new URLSearchParams();
    let schedule = new URLSearchParams();
    server.use(
      http.get(`${baseUrl}/controls/coverage`, ({ request }) => {
        coverage = new URL(request.url).searchParams;
        return HttpResponse.json({ control: {}, entities: [] });
      }),
      http.get(`${baseUrl}/schedule`, ({ request }) => {
        schedule = new URL(request.url).searchParams;
        return HttpResponse.json({ tests: [], reviews: [] });
      }),
    );
    await client.getControlCoverage({
      controlRef: 'securitycontrol:default/tls',
    });
    await client.getSchedule({
      from: '2025-01-01T00:00:00.000Z',
      owner: 'group:default/payments',
    });
    expect(coverage.get('controlRef')).toBe('securitycontrol:default/tls');
    expect(schedule.get('from')).toBe('2025-01-01T00:00:00.000Z');
    expect(schedule.get('owner')).toBe('group:default/payments');
    expect(schedule.has('to')).toBe(false);
  });

  it('reads the report as JSON and as CSV', async () => {
    server.use(
      http.get(`${baseUrl}/report`, ({ request }) => {
        const format = new URL(request.url).searchParams.get('format');
        return format === 'csv'
          ? HttpResponse.text('entityRef,grade\ncomponent:default/shop,A\n', {
              headers: { 'Content-Type': 'text/csv' },
            })
          : HttpResponse.json({ generatedAt: '2025-01-01T00:00:00.000Z' });
      }),
    );
    await expect(client.getReport()).resolves.toEqual({
      generatedAt: '2025-01-01T00:00:00.000Z',
    });
    await expect(client.getReportCsv()).resolves.toBe(
      'entityRef,grade\ncomponent:default/shop,A\n',
    );
    await expect(client.getReportCsvUrl()).resolves.toBe(
      `${baseUrl}/report?format=csv`,
    );
  });

  it('sends the report period and CSV table, and reads test reports', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${baseUrl}/report`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.text('id,title\n');
      }),
      http.get(`${baseUrl}/reports/tests`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        asked.push(query);
        return query.get('format') === 'csv'
          ? HttpResponse.text('testedAt,result\n')
          : HttpResponse.json({ tests: [] });
      }),
    );
    await expect(
      client.getReportCsv({
        asOf: '2026-03-31T23:59:59.999Z',
        from: '2026-01-01T00:00:00.000Z',
        section: 'incidents',
      }),
    ).resolves.toBe('id,title\n');
    await expect(
      client.getTestReport({ controlRef: 'securitycontrol:default/tls' }),
    ).resolves.toEqual({ tests: [] });
    await expect(
      client.getTestReportCsv({ entityRef: 'component:default/shop' }),
    ).resolves.toBe('testedAt,result\n');
    expect(asked.map(query => query.toString())).toEqual([
      'asOf=2026-03-31T23%3A59%3A59.999Z&from=2026-01-01T00%3A00%3A00.000Z&section=incidents&format=csv',
      'controlRef=securitycontrol%3Adefault%2Ftls&format=json',
      'entityRef=component%3Adefault%2Fshop&format=csv',
    ]);
  });

  it('posts an applicability refresh', async () => {
    server.use(
      http.post(`${baseUrl}/applicability/refresh`, () =>
        HttpResponse.json({ entityCount: 3 }),
      ),
    );
    await expect(client.refreshApplicability()).resolves.toEqual({
      entityCount: 3,
    });
  });

  it('raises a ResponseError that carries the server message', async () => {
    server.use(
      http.post(`${baseUrl}/incidents/:id/transitions`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Incident i-1 was changed by someone else',
            },
            request: { method: 'POST', url: '/incidents/i-1/transitions' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .transitionIncident({ id: 'i-1', to: 'triaged', version: 1 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe(
      'Incident i-1 was changed by someone else',
    );
  });

  it('raises a ResponseError when a read is forbidden', async () => {
    server.use(
      http.get(`${baseUrl}/report`, () =>
        HttpResponse.json(
          { error: { name: 'NotAllowedError', message: 'Denied' } },
          { status: 403 },
        ),
      ),
    );
    await expect(client.getReportCsv()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
