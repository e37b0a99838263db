import { Entity } from '@backstage/catalog-model';
import {
  SECURITY_CONTROL_API_VERSION,
  securityApplicabilityRefreshPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
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

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;

jest.setTimeout(30_000);

describe('applicability routes', () => {
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

  describe('controls', () => {
    it('lists the valid controls of the catalog', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .get(`${base}/controls`)
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body.items.map((c: { ref: string }) => c.ref)).toEqual([
        refs.tls,
        refs.mfa,
      ]);
      const tls = res.body.items[0];
      expect(tls.applicableCount).toBe(2);
      expect(tls.counts.untested).toBe(2);
    });
  });

  describe('controls not in effect', () => {
    const managedBy = (file: string) => ({
      'backstage.io/managed-by-location': `file:${file}`,
      'backstage.io/managed-by-origin-location': `file:${file}`,
    });
    const processingError = (message: string) => ({
      type: 'backstage.io/catalog-processing',
      level: 'error',
      message: `InputError: ${message}`,
      error: { name: 'InputError', message },
    });
    // As the catalog stitches them: the processing errors in status.items.
    const withErrors: Entity[] = [
      {
        apiVersion: SECURITY_CONTROL_API_VERSION,
        kind: 'SecurityControl',
        metadata: {
          name: 'broken-with-error',
          namespace: 'default',
          title: 'Broken with error',
          annotations: managedBy('/catalog/broken-control.yaml'),
        },
        spec: { owner: 'security-team', category: 'technical' },
        status: {
          items: [
            processingError(
              'Invalid SecurityControl securitycontrol:default/broken-with-error: spec.testing is required',
            ),
          ],
        },
      } as Entity,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: {
          name: 'generated-abc',
          namespace: 'default',
          annotations: managedBy('/catalog/controls-2.yaml'),
        },
        spec: { type: 'file', target: '/catalog/controls-2.yaml' },
        status: {
          items: [
            processingError(
              'YAML error at file:/catalog/controls-2.yaml, YAMLParseError: Unexpected flow-map-end token at line 3, column 20:\n\nspec: }\n',
            ),
          ],
        },
      } as Entity,
    ];

    it('lists the controls and locations the catalog holds with processing errors, and what its events reported', async () => {
      await ctx.backend.stop();
      ctx = await startSecurityBackend({
        entities: [...testCatalog(), ...withErrors],
      });
      // What the catalog reported by event about an entity it never stored.
      await ctx.knex('catalog_problems').insert({
        problem_key: 'error:securitycontrol:default/future',
        type: 'error',
        entity_ref: 'securitycontrol:default/future',
        location: 'file:/catalog/v2.yaml',
        messages: JSON.stringify([
          "Processor SecurityControlProcessor threw an error while validating the entity securitycontrol:default/future; caused by TypeError: apiVersion 'security.open-itsm.dev/v2' is not supported for SecurityControl; use 'security.open-itsm.dev/v1alpha1'",
        ]),
        first_reported_at: Date.now(),
        last_reported_at: Date.now(),
      });
      grant(allow(securityReportReadPermission.name));

      const res = await request(ctx.server)
        .get(`${base}/controls/not-in-effect`)
        .set(as.user());

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          ref: 'securitycontrol:default/broken-with-error',
          name: 'Broken with error',
          failure: 'invalid-definition',
          reason: 'spec.testing is required',
          location: 'file:/catalog/broken-control.yaml',
          originLocation: 'file:/catalog/broken-control.yaml',
          source: 'catalog-entity',
        },
        {
          ref: 'location:default/generated-abc',
          name: '/catalog/controls-2.yaml',
          failure: 'unreadable-location',
          reason:
            'YAML error at file:/catalog/controls-2.yaml, YAMLParseError: Unexpected flow-map-end token at line 3, column 20',
          location: 'file:/catalog/controls-2.yaml',
          originLocation: 'file:/catalog/controls-2.yaml',
          source: 'catalog-entity',
        },
        {
          ref: 'securitycontrol:default/future',
          name: 'future',
          failure: 'unsupported-version',
          reason:
            "apiVersion 'security.open-itsm.dev/v2' is not supported for SecurityControl; use 'security.open-itsm.dev/v1alpha1'",
          location: 'file:/catalog/v2.yaml',
          source: 'catalog-event',
          reportedAt: expect.any(String),
        },
      ]);
    });

    it('is empty when every control is in effect', async () => {
      grant(allow(securityReportReadPermission.name));
      const res = await request(ctx.server)
        .get(`${base}/controls/not-in-effect`)
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
    });

    it('is for those who may read reports, not every posture reader', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .get(`${base}/controls/not-in-effect`)
        .set(as.user());
      expect(res.status).toBe(403);
    });
  });

  describe('applicability refresh', () => {
    it('re-reads the catalog on demand and audits it', async () => {
      grant(allow(securityApplicabilityRefreshPermission.name));
      const res = await request(ctx.server)
        .post(`${base}/applicability/refresh`)
        .set(as.user())
        .send({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityCount: 2,
        controlCount: 2,
        pairCount: 3,
        removedEntityCount: 0,
      });
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'applicability-refresh' }),
      );
    });

    it('needs the refresh permission', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .post(`${base}/applicability/refresh`)
        .set(as.user());
      expect(res.status).toBe(403);
    });
  });
});
