import { securityReviewCreatePermission } from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';

const base = '/api/security-management';

jest.setTimeout(30_000);

describe('review routes', () => {
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

  describe('reviews', () => {
    it('defaults the next review to the cadence of the risk tier', async () => {
      grant(allow(securityReviewCreatePermission.name));
      const reviewedAt = '2025-01-10T00:00:00.000Z';
      const res = await request(ctx.server)
        .post(`${base}/reviews`)
        .set(as.user())
        .send({
          entityRef: refs.payments,
          outcome: 'approved',
          findings: 'All good',
          reviewedAt,
        });
      expect(res.status).toBe(201);
      // payments-api is tier 1: every 90 days by default.
      expect(res.body).toMatchObject({
        reviewer: 'user:default/alice',
        nextDueAt: '2025-04-10T00:00:00.000Z',
      });
    });

    it('needs conditions for approved-with-conditions', async () => {
      grant(allow(securityReviewCreatePermission.name));
      const res = await request(ctx.server)
        .post(`${base}/reviews`)
        .set(as.user())
        .send({
          entityRef: refs.payments,
          outcome: 'approved-with-conditions',
          findings: 'Mostly good',
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('conditions:');
    });
  });
});
