import {
  securityAlertManagePermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  auditorEvent,
  refs,
  setPermissions,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';

const base = '/api/security-management';
const MANAGE = securityAlertManagePermission.name;
const POSTURE_READ = securityPostureReadPermission.name;

jest.setTimeout(30_000);

const alert = {
  title: 'Credential stuffing against customer logins',
  description: 'A botnet is replaying leaked passwords against /login.',
  severity: 'critical',
  precautions: 'Watch the failed-login rate; rotate any shared admin password.',
};

describe('alert routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend();
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  function grant(...names: string[]) {
    setPermissions(ctx.permissions, allow(...names));
  }

  function raise(body: object, user = 'nadia') {
    return request(ctx.server)
      .post(`${base}/alerts`)
      .set(as.user(user))
      .send(body);
  }

  function entityAlerts(entityRef: string) {
    return request(ctx.server)
      .get(`${base}/entities/alerts`)
      .query({ entityRef })
      .set(as.user('engineer'));
  }

  async function storedAlerts() {
    return Number((await ctx.knex('security_alerts').count({ n: '*' }))[0].n);
  }

  it('refuses a raise without alert.manage, writes nothing and audits the failure', async () => {
    grant(POSTURE_READ);
    const res = await raise({ ...alert, entityRefs: [refs.payments] });
    expect(res.status).toBe(403);
    expect(await storedAlerts()).toBe(0);
    expect(await ctx.knex('security_alert_entities').select()).toEqual([]);
    const event = await auditorEvent(ctx.auditor, 'alert-raise');
    expect(event.fail).toHaveBeenCalled();
    expect(event.success).not.toHaveBeenCalled();
  });

  it('raises an alert for named entities, shows it on their pages and audits it', async () => {
    grant(MANAGE, POSTURE_READ);
    const res = await raise({
      ...alert,
      entityRefs: ['Component:payments-api'],
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: alert.title,
      severity: 'critical',
      precautions: alert.precautions,
      scope: { entityRefs: [refs.payments] },
      affectedEntityCount: 1,
      status: 'active',
      source: 'manual',
      raisedBy: 'user:default/nadia',
    });

    const onPayments = await entityAlerts(refs.payments);
    expect(onPayments.status).toBe(200);
    expect(onPayments.body.items.map((a: { id: string }) => a.id)).toEqual([
      res.body.id,
    ]);
    expect((await entityAlerts(refs.ledger)).body.items).toEqual([]);

    expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'alert-raise',
        severityLevel: 'high',
      }),
    );
    const event = await auditorEvent(ctx.auditor, 'alert-raise');
    expect(event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        alertId: res.body.id,
        title: alert.title,
        severity: 'critical',
        affectedEntityCount: 1,
      }),
    });
  });

  it('resolves a catalog filter into the entities it matches now', async () => {
    grant(MANAGE, POSTURE_READ);
    const res = await raise({
      ...alert,
      severity: 'medium',
      filter: { kind: 'component', 'spec.lifecycle': 'production' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      scope: { filter: { kind: 'component', 'spec.lifecycle': 'production' } },
      affectedEntityCount: 3,
    });
    expect(
      await ctx
        .knex('security_alert_entities')
        .where('alert_id', res.body.id)
        .orderBy('entity_ref')
        .pluck('entity_ref'),
    ).toEqual([refs.ledger, refs.lonely, refs.payments]);
    // Below high, raising is a medium audit event.
    expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'alert-raise',
        severityLevel: 'medium',
      }),
    );

    // Named and matched entities together, each once.
    const both = await raise({
      ...alert,
      filter: { kind: 'component', 'spec.type': ['library', 'website'] },
      entityRefs: [refs.payments, refs.lonely],
    });
    expect(both.body).toMatchObject({
      scope: { entityRefs: [refs.payments, refs.lonely] },
      affectedEntityCount: 2,
    });
  });

  it.each([
    [{ ...alert }, 'entityRefs: name the affected entities'],
    [
      { ...alert, entityRefs: [refs.payments, 'component:default/ghost'] },
      'entityRefs: not in the catalog: component:default/ghost',
    ],
    [
      { ...alert, filter: { kind: 'component', 'spec.lifecycle': 'retired' } },
      'filter: matches no entity in the catalog',
    ],
    [
      {
        ...alert,
        entityRefs: [refs.payments],
        expiresAt: '2020-01-01T00:00:00Z',
      },
      'expiresAt: 2020-01-01T00:00:00.000Z must be in the future',
    ],
    [
      { ...alert, severity: 'urgent', entityRefs: [refs.payments] },
      'severity: expected one of critical|high|medium|low',
    ],
    [
      { ...alert, precautions: '', entityRefs: [refs.payments] },
      'precautions: must not be empty',
    ],
  ])(
    'answers bad input with a 400 naming the field (%#)',
    async (body, message) => {
      grant(MANAGE, POSTURE_READ);
      const res = await raise(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(await storedAlerts()).toBe(0);
    },
  );

  it('resolves an alert once: 404 for an unknown one, 409 the second time', async () => {
    grant(MANAGE, POSTURE_READ);
    const { body: raised } = await raise({
      ...alert,
      entityRefs: [refs.payments],
    });

    grant(POSTURE_READ);
    const denied = await request(ctx.server)
      .post(`${base}/alerts/${raised.id}/resolve`)
      .set(as.user('engineer'))
      .send({ resolution: 'Not my call' });
    expect(denied.status).toBe(403);
    expect((await entityAlerts(refs.payments)).body.items).toHaveLength(1);

    grant(MANAGE, POSTURE_READ);
    const missing = await request(ctx.server)
      .post(`${base}/alerts/no-such-alert/resolve`)
      .set(as.user('nadia'))
      .send({ resolution: 'Blocked' });
    expect(missing.status).toBe(404);

    const empty = await request(ctx.server)
      .post(`${base}/alerts/${raised.id}/resolve`)
      .set(as.user('nadia'))
      .send({});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('resolution: is required');

    const resolved = await request(ctx.server)
      .post(`${base}/alerts/${raised.id}/resolve`)
      .set(as.user('nadia'))
      .send({ resolution: 'Botnet blocked at the edge' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: 'user:default/nadia',
      resolution: 'Botnet blocked at the edge',
    });
    const again = await request(ctx.server)
      .post(`${base}/alerts/${raised.id}/resolve`)
      .set(as.user('nadia'))
      .send({ resolution: 'Again' });
    expect(again.status).toBe(409);

    expect((await entityAlerts(refs.payments)).body.items).toEqual([]);
    const event = await auditorEvent(ctx.auditor, 'alert-resolve');
    expect(event.fail).toHaveBeenCalled(); // the engineer's refusal
    expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'alert-resolve',
        severityLevel: 'medium',
        meta: { alertId: raised.id },
      }),
    );
  });

  it('lists alerts by status, with counts, and shows entities only active, unexpired ones', async () => {
    grant(MANAGE, POSTURE_READ);
    const ids: string[] = [];
    for (const title of ['Expiring', 'Resolved', 'Active']) {
      const res = await raise({ ...alert, title, entityRefs: [refs.payments] });
      ids.push(res.body.id);
    }
    const [expiring, resolved, active] = ids;
    // Its expiry passes; nothing runs in between.
    await ctx
      .knex('security_alerts')
      .where('id', expiring)
      .update({ expires_at: Date.now() - 1000 });
    await request(ctx.server)
      .post(`${base}/alerts/${resolved}/resolve`)
      .set(as.user('nadia'))
      .send({ resolution: 'Done' });

    grant(POSTURE_READ);
    const onPayments = await entityAlerts(refs.payments);
    expect(onPayments.body.items.map((a: { id: string }) => a.id)).toEqual([
      active,
    ]);

    const list = (query: object) =>
      request(ctx.server)
        .get(`${base}/alerts`)
        .query(query)
        .set(as.user('engineer'));
    const all = await list({});
    expect(all.status).toBe(200);
    expect(all.body.totalCount).toBe(3);
    expect(all.body.counts).toEqual({ active: 1, resolved: 1, expired: 1 });
    const expired = await list({ status: 'expired', entityRef: refs.payments });
    expect(expired.body.items.map((a: { id: string }) => a.id)).toEqual([
      expiring,
    ]);
    expect(expired.body.items[0].status).toBe('expired');
    expect(
      (await list({ status: 'active', entityRef: refs.ledger })).body,
    ).toEqual({
      items: [],
      totalCount: 0,
      counts: { active: 0, resolved: 0, expired: 0 },
    });
    const bad = await list({ status: 'open' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('status: expected one of');
  });

  it('needs posture.read to read alerts, and an entity ref for an entity', async () => {
    const denied = await entityAlerts(refs.payments);
    expect(denied.status).toBe(403);
    expect(
      (await request(ctx.server).get(`${base}/alerts`).set(as.user())).status,
    ).toBe(403);

    grant(POSTURE_READ);
    const missing = await request(ctx.server)
      .get(`${base}/entities/alerts`)
      .set(as.user());
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('entityRef: is required');
    const unauthenticated = await request(ctx.server).get(
      `${base}/entities/alerts?entityRef=${refs.payments}`,
    );
    expect(unauthenticated.status).toBe(401);
  });
});
