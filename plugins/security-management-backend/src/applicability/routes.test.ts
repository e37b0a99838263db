import {
  securityApplicabilityRefreshPermission,
  securityPostureReadPermission,
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
