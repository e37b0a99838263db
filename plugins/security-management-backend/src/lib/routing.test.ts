import { securityManagementRoutes } from '@open-itsm/plugin-security-management-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const TEST_CREATE = securityTestRecordCreatePermission.name;

jest.setTimeout(30_000);

describe('the plugin router', () => {
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

  describe('authentication and authorization', () => {
    it('serves /health without credentials', async () => {
      const res = await request(ctx.server).get(`${base}/health`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('answers 401 without credentials', async () => {
      grant(allow(POSTURE_READ, TEST_CREATE));
      const read = await request(ctx.server).get(`${base}/controls`);
      expect(read.status).toBe(401);
      const write = await request(ctx.server)
        .post(`${base}/test-records`)
        .send({
          controlRef: refs.tls,
          entityRef: refs.payments,
          result: 'pass',
        });
      expect(write.status).toBe(401);
    });

    it('answers 403 when the policy denies', async () => {
      grant({});
      const res = await request(ctx.server)
        .get(`${base}/controls`)
        .set(as.user());
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(POSTURE_READ);
    });

    it('denies, not fails, when the permission check throws', async () => {
      ctx.permissions.authorize.mockRejectedValue(new Error('policy down'));
      ctx.permissions.authorizeConditional.mockRejectedValue(
        new Error('policy down'),
      );
      const controls = await request(ctx.server)
        .get(`${base}/controls`)
        .set(as.user());
      expect(controls.status).toBe(403);
      const incidents = await request(ctx.server)
        .get(`${base}/incidents`)
        .set(as.user());
      expect(incidents.status).toBe(403);
    });

    it('treats a conditional answer to a basic permission as a denial', async () => {
      ctx.permissions.authorize.mockResolvedValue([
        { result: AuthorizeResult.CONDITIONAL } as any,
      ]);
      const res = await request(ctx.server)
        .get(`${base}/controls`)
        .set(as.user());
      expect(res.status).toBe(403);
    });
  });

  describe('OpenAPI document', () => {
    const methods: Record<string, string[]> = {
      '/health': ['get'],
      '/openapi.json': ['get'],
      '/controls': ['get'],
      '/controls/coverage': ['get'],
      '/controls/not-in-effect': ['get'],
      '/posture/entity': ['get'],
      '/posture/batch': ['post'],
      '/posture': ['get'],
      '/posture/rollup': ['get'],
      '/test-records': ['get', 'post'],
      '/test-records/batch': ['post'],
      '/incidents': ['get', 'post'],
      '/incidents/:id': ['get', 'patch'],
      '/incidents/:id/transitions': ['post'],
      '/incidents/:id/review': ['put'],
      '/incidents/:id/timeline': ['get'],
      '/reviews': ['get', 'post'],
      '/exceptions': ['get', 'post'],
      '/exceptions/:id/approve': ['post'],
      '/exceptions/:id/reject': ['post'],
      '/schedule': ['get'],
      '/report': ['get'],
      '/applicability/refresh': ['post'],
    };

    it('describes every route with its methods', async () => {
      const res = await request(ctx.server)
        .get(`${base}/openapi.json`)
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\.1\./);
      expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      for (const route of Object.keys(methods)) {
        const path = route.replace(/:(\w+)/g, '{$1}');
        const documented = Object.keys(res.body.paths[path] ?? {}).filter(
          key => key !== 'parameters',
        );
        expect({ route, methods: documented.sort() }).toEqual({
          route,
          methods: [...methods[route]].sort(),
        });
      }
      // And nothing beyond the route table (the routes added since this
      // list was written are checked by src/contract.test.ts).
      const tablePaths = new Set(
        Object.values(securityManagementRoutes).map(route =>
          route.path.replace(/:(\w+)/g, '{$1}'),
        ),
      );
      expect(Object.keys(res.body.paths).sort()).toEqual(
        [...tablePaths].sort(),
      );
    });

    it('serves every documented route', async () => {
      grant({});
      const unserved = [];
      for (const [route, routeMethods] of Object.entries(methods)) {
        for (const method of routeMethods) {
          const res = await (request(ctx.server) as any)
            [method](`${base}${route.replace(':id', 'some-id')}`)
            .set(as.user());
          if (res.status === 404 || res.status >= 500) {
            unserved.push({ method, route, status: res.status });
          }
        }
      }
      expect(unserved).toEqual([]);
    });
  });
});
