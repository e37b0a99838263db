import {
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
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

describe('exception routes', () => {
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

  describe('exceptions', () => {
    const expiresAt = () =>
      new Date(Date.now() + 30 * 24 * 3600_000).toISOString();

    async function requestException(user: string) {
      grant(allow(securityExceptionRequestPermission.name));
      const res = await request(ctx.server)
        .post(`${base}/exceptions`)
        .set(as.user(user))
        .send({
          controlRef: refs.mfa,
          entityRef: refs.payments,
          justification: 'Legacy admin console retires next quarter',
          expiresAt: expiresAt(),
        });
      expect(res.status).toBe(201);
      return res.body;
    }

    it('does not let the requester approve their own exception', async () => {
      const exception = await requestException('alice');
      grant(allow(securityExceptionDecidePermission.name));
      const res = await request(ctx.server)
        .post(`${base}/exceptions/${exception.id}/approve`)
        .set(as.user('alice'))
        .send({});
      expect(res.status).toBe(403);
    });

    it('approves once, then answers 409', async () => {
      const exception = await requestException('alice');
      grant(allow(securityExceptionDecidePermission.name, POSTURE_READ));
      const approved = await request(ctx.server)
        .post(`${base}/exceptions/${exception.id}/approve`)
        .set(as.user('carol'))
        .send({ note: 'Accepted until the migration' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decidedBy: 'user:default/carol',
      });
      const again = await request(ctx.server)
        .post(`${base}/exceptions/${exception.id}/reject`)
        .set(as.user('carol'))
        .send({});
      expect(again.status).toBe(409);

      const posture = await request(ctx.server)
        .get(`${base}/posture/entity`)
        .query({ entityRef: refs.payments })
        .set(as.user());
      expect(posture.body.counts.excepted).toBe(1);
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'exception-approve',
          severityLevel: 'high',
          meta: { exceptionId: exception.id },
        }),
      );
    });

    it('answers an approved exception past its expiry as expired everywhere, before any housekeeping', async () => {
      const exception = await requestException('alice');
      grant(allow(securityExceptionDecidePermission.name, POSTURE_READ));
      await request(ctx.server)
        .post(`${base}/exceptions/${exception.id}/approve`)
        .set(as.user('carol'))
        .send({});
      // Its expiry passes; the nightly job has not run.
      await ctx
        .knex('exceptions')
        .where('id', exception.id)
        .update({ expires_at: Date.now() - 1000 });

      const listed = await request(ctx.server)
        .get(`${base}/exceptions`)
        .query({ entityRef: refs.payments })
        .set(as.user());
      expect(
        listed.body.items.map((e: { status: string }) => e.status),
      ).toEqual(['expired']);
      const approved = await request(ctx.server)
        .get(`${base}/exceptions`)
        .query({ status: 'approved' })
        .set(as.user());
      expect(approved.body.totalCount).toBe(0);
      const posture = await request(ctx.server)
        .get(`${base}/posture/entity`)
        .query({ entityRef: refs.payments })
        .set(as.user());
      expect(posture.body.counts.excepted).toBe(0);
      const mfa = posture.body.controls.find(
        (c: { control: { ref: string } }) => c.control.ref === refs.mfa,
      );
      expect(mfa.status).toBe('untested');
      expect(mfa.exception).toBeUndefined();
    });

    it('refuses an exception for a control that does not apply', async () => {
      grant(allow(securityExceptionRequestPermission.name));
      const res = await request(ctx.server)
        .post(`${base}/exceptions`)
        .set(as.user())
        .send({
          controlRef: refs.mfa,
          entityRef: refs.ledger,
          justification: 'n/a',
          expiresAt: expiresAt(),
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('does not apply');
    });
  });
});
