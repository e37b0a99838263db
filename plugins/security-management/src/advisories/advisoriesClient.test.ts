import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SecurityManagementClient } from '../api/SecurityManagementClient';

const baseUrl = 'http://backstage/api/security-management';
const server = setupServer();

describe('SecurityManagementClient advisory operations', () => {
  registerMswTestHooks(server);

  const client = new SecurityManagementClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: new MockFetchApi(),
  });

  it('lists findings with repeated filters', async () => {
    let params = new URLSearchParams();
    server.use(
      http.get(`${baseUrl}/advisories/findings`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listAdvisoryFindings({
      status: ['open', 'not-affected'],
      severity: ['critical'],
      knownExploited: true,
      owner: undefined,
      limit: 25,
      offset: 50,
    });
    expect(params.getAll('status')).toEqual(['open', 'not-affected']);
    expect(params.getAll('severity')).toEqual(['critical']);
    expect(params.get('knownExploited')).toBe('true');
    expect(params.get('offset')).toBe('50');
    expect(params.has('owner')).toBe(false);
  });

  it('asks for one entity, with every status when told', async () => {
    let search = '';
    server.use(
      http.get(`${baseUrl}/advisories/entity`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json({ findings: [] });
      }),
    );
    await client.getEntityAdvisories({
      entityRef: 'component:default/shop',
      all: true,
    });
    expect(search).toBe('?entityRef=component%3Adefault%2Fshop&all=true');
  });

  it('posts a transition to the finding, its id encoded', async () => {
    let path = '';
    let body: unknown;
    server.use(
      http.post(
        `${baseUrl}/advisories/findings/:id/transition`,
        async ({ request }) => {
          path = new URL(request.url).pathname;
          body = await request.json();
          return HttpResponse.json({ id: 'f/1' });
        },
      ),
    );
    await client.transitionAdvisoryFinding({
      id: 'f/1',
      status: 'not-affected',
      justification: 'component_not_present',
      note: 'Removed in 2.0',
    });
    expect(path).toBe(
      '/api/security-management/advisories/findings/f%2F1/transition',
    );
    expect(body).toEqual({
      status: 'not-affected',
      justification: 'component_not_present',
      note: 'Removed in 2.0',
    });
  });

  it('re-reads an entity, reads the feeds and refreshes them', async () => {
    const calls: string[] = [];
    let refreshBody: unknown;
    server.use(
      http.post(`${baseUrl}/advisories/entity/refresh`, async ({ request }) => {
        calls.push('entity');
        refreshBody = await request.json();
        return HttpResponse.json({});
      }),
      http.get(`${baseUrl}/advisories/feeds`, () => {
        calls.push('feeds');
        return HttpResponse.json({ feeds: [], componentErrors: [] });
      }),
      http.post(`${baseUrl}/advisories/refresh`, () => {
        calls.push('refresh');
        return HttpResponse.json({ feeds: [] });
      }),
    );
    await client.refreshEntityAdvisories({
      entityRef: 'component:default/shop',
    });
    await client.getAdvisoryFeeds();
    await client.refreshAdvisories();
    expect(calls).toEqual(['entity', 'feeds', 'refresh']);
    expect(refreshBody).toEqual({ entityRef: 'component:default/shop' });
  });
});
