import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SecurityManagementClient } from '../api/SecurityManagementClient';

const baseUrl = 'http://backstage/api/security-management';
const server = setupServer();

describe('SecurityManagementClient policy operations', () => {
  registerMswTestHooks(server);

  const client = new SecurityManagementClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: new MockFetchApi(),
  });

  it('reads the policy tree', async () => {
    server.use(
      http.get(`${baseUrl}/policies`, () => HttpResponse.json({ items: [] })),
    );
    await expect(client.listPolicies()).resolves.toEqual({ items: [] });
  });

  it('asks for one policy with its ref encoded into one path segment', async () => {
    let path = '';
    server.use(
      http.get(`${baseUrl}/policies/:ref`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ ref: 'securitypolicy:default/it' });
      }),
    );
    await client.getPolicy({ ref: 'securitypolicy:default/it' });
    expect(path).toBe(
      '/api/security-management/policies/securitypolicy%3Adefault%2Fit',
    );
  });

  it('rejects with the server error for an unknown policy', async () => {
    server.use(
      http.get(`${baseUrl}/policies/:ref`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: "No security policy 'x'" },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await expect(client.getPolicy({ ref: 'x' })).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
  });
});
