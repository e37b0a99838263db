import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SecurityManagementClient } from '../api/SecurityManagementClient';

const baseUrl = 'http://backstage/api/security-management';
const server = setupServer();

describe('SecurityManagementClient framework operations', () => {
  registerMswTestHooks(server);

  const client = new SecurityManagementClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: new MockFetchApi(),
  });

  it('asks for the Statement of Applicability as JSON and as CSV', async () => {
    const searches: string[] = [];
    server.use(
      http.get(`${baseUrl}/frameworks/soa`, ({ request }) => {
        const url = new URL(request.url);
        searches.push(url.search);
        return url.searchParams.get('format') === 'csv'
          ? new HttpResponse('framework,requirement\r\n', {
              headers: { 'Content-Type': 'text/csv' },
            })
          : HttpResponse.json({ framework: 'nist-sp-800-53-rev5' });
      }),
    );
    const query = {
      entityRef: 'component:default/shop',
      framework: 'nist-sp-800-53-rev5',
    };
    await expect(client.getStatementOfApplicability(query)).resolves.toEqual({
      framework: 'nist-sp-800-53-rev5',
    });
    await expect(client.getStatementOfApplicabilityCsv(query)).resolves.toBe(
      'framework,requirement\r\n',
    );
    expect(searches).toEqual([
      '?entityRef=component%3Adefault%2Fshop&framework=nist-sp-800-53-rev5&format=json',
      '?entityRef=component%3Adefault%2Fshop&framework=nist-sp-800-53-rev5&format=csv',
    ]);
  });

  it('asks for frameworks, coverage and imports, and rejects with the server error', async () => {
    server.use(
      http.get(`${baseUrl}/frameworks`, () => HttpResponse.json({ items: [] })),
      http.get(`${baseUrl}/frameworks/imports`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${baseUrl}/frameworks/coverage`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Unauthorized' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(client.listFrameworks()).resolves.toEqual({ items: [] });
    await expect(client.listFrameworkImports()).resolves.toEqual({
      items: [],
    });
    await expect(
      client.getFrameworkCoverage({ framework: 'iso-27001-2022' }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});
