import { ResponseError } from '@backstage/errors';
import { createSecurityManagementCaller, operationUrl } from './client';

function fakeFetch(status: number, body: unknown) {
  return jest.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
}

describe('createSecurityManagementCaller', () => {
  const baseUrl = async () => 'http://backend/api/security-management';

  it('sends the route method, path parameters, repeated query keys and a JSON body', async () => {
    const fetch = fakeFetch(200, { id: 'i-1' });
    const call = createSecurityManagementCaller({ baseUrl, fetch });
    await call('transitionIncident', {
      params: { id: 'a/b' },
      body: { to: 'triaged', version: 3 },
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-management/incidents/a%2Fb/transitions',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ to: 'triaged', version: 3 }),
      },
    );

    await call('listIncidents', {
      query: { status: ['reported', 'triaged'], open: true, limit: 5 },
    });
    expect(fetch.mock.calls[1][0]).toBe(
      'http://backend/api/security-management/incidents?status=reported&status=triaged&open=true&limit=5',
    );
    expect(fetch.mock.calls[1][1]).toEqual({ method: 'GET' });
  });

  it('rejects with a ResponseError that carries the server message', async () => {
    const call = createSecurityManagementCaller({
      baseUrl,
      fetch: fakeFetch(409, {
        error: { name: 'ConflictError', message: 'stale version' },
        response: { statusCode: 409 },
      }),
    });
    const error = await call('getIncident', { params: { id: 'x' } }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe('stale version');
  });

  it('builds download addresses the same way', () => {
    expect(
      operationUrl('http://b', 'getReport', { query: { format: 'csv' } }),
    ).toBe('http://b/report?format=csv');
  });
});
