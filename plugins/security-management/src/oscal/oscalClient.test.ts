import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SecurityManagementClient } from '../api/SecurityManagementClient';

const baseUrl = 'http://backstage/api/security-management';
const server = setupServer();

describe('SecurityManagementClient OSCAL operations', () => {
  registerMswTestHooks(server);

  const client = new SecurityManagementClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: new MockFetchApi(),
  });

  it('asks for the component definition of an entity', async () => {
    let search = '';
    const doc = { 'component-definition': { uuid: 'u' } };
    server.use(
      http.get(`${baseUrl}/oscal/component-definition`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json(doc);
      }),
    );
    await expect(
      client.exportOscalComponentDefinition({
        entityRef: 'component:default/shop',
      }),
    ).resolves.toEqual(doc);
    expect(search).toBe('?entityRef=component%3Adefault%2Fshop');
  });

  it('asks for the assessment results of a period, leaving out an open end', async () => {
    let search = '';
    server.use(
      http.get(`${baseUrl}/oscal/assessment-results`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json({ 'assessment-results': { uuid: 'u' } });
      }),
    );
    await client.exportOscalAssessmentResults({
      entityRef: 'component:default/shop',
      from: '2025-01-01T00:00:00.000Z',
      to: undefined,
    });
    expect(search).toBe(
      '?entityRef=component%3Adefault%2Fshop&from=2025-01-01T00%3A00%3A00.000Z',
    );
  });

  it('rejects with the server error', async () => {
    server.use(
      http.get(`${baseUrl}/oscal/assessment-results`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'No OSCAL export' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await expect(
      client.exportOscalAssessmentResults({ entityRef: 'component:default/x' }),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
