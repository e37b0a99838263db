import {
  securityPostureReadPermission,
  securityReviewCreatePermission,
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

  describe('conditions', () => {
    const READ = securityPostureReadPermission.name;
    const RECORD = securityReviewCreatePermission.name;

    async function reviewWithConditions() {
      grant(allow(READ, RECORD));
      const res = await request(ctx.server)
        .post(`${base}/reviews`)
        .set(as.user())
        .send({
          entityRef: refs.payments,
          outcome: 'approved-with-conditions',
          findings: 'Mostly good',
          conditions: ['Enable MFA for admins', 'Rotate the API keys'],
        });
      expect(res.status).toBe(201);
      return res.body;
    }

    it('lists open conditions until they are met or waived', async () => {
      const review = await reviewWithConditions();
      expect(review.trackedConditions).toHaveLength(2);
      const open = await request(ctx.server)
        .get(`${base}/reviews/conditions`)
        .query({ status: 'open' })
        .set(as.user());
      expect(open.status).toBe(200);
      expect(open.body.items.map((c: { text: string }) => c.text)).toEqual([
        'Enable MFA for admins',
        'Rotate the API keys',
      ]);

      const met = await request(ctx.server)
        .post(`${base}/reviews/${review.id}/conditions/1`)
        .set(as.user())
        .send({ status: 'met', note: 'Rotated' });
      expect(met.status).toBe(200);
      expect(met.body).toMatchObject({
        status: 'met',
        metBy: 'user:default/alice',
        note: 'Rotated',
      });
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'review-condition-update',
          meta: expect.objectContaining({ reviewId: review.id, position: '1' }),
        }),
      );
      const again = await request(ctx.server)
        .post(`${base}/reviews/${review.id}/conditions/1`)
        .set(as.user())
        .send({ status: 'met' });
      expect(again.status).toBe(409);

      const stillOpen = await request(ctx.server)
        .get(`${base}/reviews/conditions?status=open`)
        .set(as.user());
      expect(stillOpen.body.totalCount).toBe(1);
    });

    it('refuses a waiver without a note, bad positions and unknown reviews', async () => {
      const review = await reviewWithConditions();
      const waived = await request(ctx.server)
        .post(`${base}/reviews/${review.id}/conditions/0`)
        .set(as.user())
        .send({ status: 'waived' });
      expect(waived.status).toBe(400);
      expect(waived.body.error.message).toContain('note');
      const position = await request(ctx.server)
        .post(`${base}/reviews/${review.id}/conditions/first`)
        .set(as.user())
        .send({ status: 'met' });
      expect(position.status).toBe(400);
      expect(position.body.error.message).toContain('position');
      const unknown = await request(ctx.server)
        .post(`${base}/reviews/${review.id}/conditions/7`)
        .set(as.user())
        .send({ status: 'met' });
      expect(unknown.status).toBe(404);
    });

    it('needs the permission to record reviews to sign a condition off', async () => {
      const review = await reviewWithConditions();
      grant(allow(READ));
      const denied = await request(ctx.server)
        .post(`${base}/reviews/${review.id}/conditions/0`)
        .set(as.user())
        .send({ status: 'met' });
      expect(denied.status).toBe(403);
      const open = await request(ctx.server)
        .get(`${base}/reviews/conditions?status=open`)
        .set(as.user());
      expect(open.body.totalCount).toBe(2);
    });
  });
});
