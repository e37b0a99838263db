import {
  RouteContract,
  securityManagementRoutes,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import { as, startSecurityBackend } from './__testUtils__/securityBackend';

const base = '/api/security-management';

jest.setTimeout(30_000);

/*
 * The route table in -common and the router agree: every operation of the
 * contract is served (a user without permissions is refused, not told that
 * nothing is there), and
 * the document the plugin serves is the one built from that table. Every
 * answer of these and all other router tests is also checked against the
 * contract when the test backend stops.
 */
describe('API contract', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeAll(async () => {
    ctx = await startSecurityBackend();
  });

  afterAll(async () => {
    await ctx.backend.stop();
  });

  const routes = Object.entries(securityManagementRoutes) as Array<
    [string, RouteContract]
  >;

  // The test backend's permission mock denies everything by default.
  it.each(routes)('serves %s', async (_operation, route) => {
    const path = route.path.replace(/:\w+/g, 'some-id');
    const res = await request(ctx.server)
      [route.method](`${base}${path}`)
      .set(as.user());
    const expected = route.permission ? 403 : 200;
    expect(res.status).toBe(expected);
  });

  it('answers 404 where the contract has no route', async () => {
    const res = await request(ctx.server)
      .get(`${base}/no-such-route`)
      .set(as.user());
    expect(res.status).toBe(404);
  });

  it('serves the document built from the route table', async () => {
    const res = await request(ctx.server)
      .get(`${base}/openapi.json`)
      .set(as.user());
    expect(res.status).toBe(200);
    const operations = Object.values(
      res.body.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap(methods => Object.values(methods).map(op => op.operationId));
    expect(operations.sort()).toEqual(routes.map(([id]) => id).sort());
  });
});
