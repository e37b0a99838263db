import {
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
} from '../__testUtils__/securityBackend';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;

jest.setTimeout(30_000);

describe('report routes', () => {
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

  describe('report', () => {
    it('returns the report as JSON', async () => {
      grant(allow(securityReportReadPermission.name));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body.summary).toMatchObject({
        entityCount: 2,
        controlCount: 2,
        counts: { untested: 3 },
        score: 0,
      });
      expect(res.body.entities).toHaveLength(2);
    });

    it('returns the report as a CSV attachment', async () => {
      grant(allow(securityReportReadPermission.name));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query({ format: 'csv' })
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="security-report-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'entityRef,title,kind,owner,system,domain,riskTier,score,grade,passing,failing,overdue,untested,excepted,reviewStatus,nextReviewDue,openIncidents',
      );
      expect(lines).toHaveLength(3);
      expect(lines).toContain(
        `${refs.payments},Payments API,component,${refs.teamA},system:default/payments,domain:default/finance,1,0,F,0,0,0,2,0,never-reviewed,,0`,
      );
    });

    it('needs the report permission', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      expect(res.status).toBe(403);
    });
  });
});
