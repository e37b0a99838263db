import {
  securityCampaignManagePermission,
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
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
const MANAGE = securityCampaignManagePermission.name;
const POSTURE_READ = securityPostureReadPermission.name;
const TEST_CREATE = securityTestRecordCreatePermission.name;

jest.setTimeout(30_000);

function inDays(days: number): string {
  return new Date(Date.now() + days * 24 * 3600_000).toISOString();
}

const campaign = {
  name: 'TLS everywhere',
  goal: 'Every production service proves TLS 1.2+ by the end of the quarter.',
  controlRefs: ['encrypt-data-in-transit'],
  filter: { kind: 'component', 'spec.lifecycle': 'production' },
};

describe('campaign routes', () => {
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

  function start(body: object) {
    return request(ctx.server)
      .post(`${base}/campaigns`)
      .set(as.user('nadia'))
      .send(body);
  }

  it('refuses a start without campaign.manage, writes nothing and audits the failure', async () => {
    grant(POSTURE_READ);
    const res = await start({ ...campaign, deadline: inDays(30) });
    expect(res.status).toBe(403);
    expect(await ctx.knex('campaigns').select()).toEqual([]);
    const event = await auditorEvent(ctx.auditor, 'campaign-start');
    expect(event.fail).toHaveBeenCalled();
    expect(event.success).not.toHaveBeenCalled();
  });

  it('answers 400 naming every bad field, and writes nothing', async () => {
    grant(MANAGE, POSTURE_READ);
    const shape = await start({ name: ' ', filter: {}, deadline: 'soon' });
    expect(shape.status).toBe(400);
    const message = shape.body.error.message;
    expect(message).toContain('name:');
    expect(message).toContain('goal:');
    expect(message).toContain('deadline:');
    expect(message).toContain('filter:');

    const meaning = await start({
      ...campaign,
      controlRefs: ['encrypt-data-in-transit', 'no-such-control'],
      advisoryIds: ['GHSA-none-none-none'],
      entityRefs: ['component:default/ghost'],
      deadline: inDays(-1),
    });
    expect(meaning.status).toBe(400);
    expect(meaning.body.error.message).toEqual(
      expect.stringContaining(
        'controlRefs: not in the control library: securitycontrol:default/no-such-control',
      ),
    );
    expect(meaning.body.error.message).toContain(
      'advisoryIds: not held by any advisory feed: GHSA-none-none-none',
    );
    expect(meaning.body.error.message).toContain(
      'entityRefs: not in the catalog: component:default/ghost',
    );
    expect(meaning.body.error.message).toContain('must be in the future');
    expect(await ctx.knex('campaigns').select()).toEqual([]);
  });

  it('starts a campaign, shows its progress per owner and on each entity, and moves with a test', async () => {
    grant(MANAGE, POSTURE_READ, TEST_CREATE);
    const res = await start({ ...campaign, deadline: inDays(30) });
    expect(res.status).toBe(201);
    // payments-api and ledger carry TLS; no-controls is in scope but has nothing to do.
    expect(res.body).toMatchObject({
      name: campaign.name,
      controlRefs: [refs.tls],
      advisoryIds: [],
      scope: { filter: campaign.filter },
      entityCount: 3,
      status: 'active',
      startedBy: 'user:default/nadia',
      progress: { entities: 2, items: 2, done: 0, excepted: 0 },
    });
    const event = await auditorEvent(ctx.auditor, 'campaign-start');
    expect(event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ campaignId: res.body.id }),
    });

    const recorded = await request(ctx.server)
      .post(`${base}/test-records`)
      .set(as.ci())
      .send({ controlRef: refs.tls, entityRef: refs.payments, result: 'pass' });
    expect(recorded.status).toBe(201);

    const detail = await request(ctx.server)
      .get(`${base}/campaigns/${res.body.id}`)
      .set(as.user('engineer'));
    expect(detail.status).toBe(200);
    expect(detail.body.campaign.progress).toEqual({
      entities: 2,
      items: 2,
      done: 1,
      excepted: 0,
    });
    expect(detail.body.owners).toEqual([
      { owner: refs.teamB, entities: 1, items: 1, done: 0, excepted: 0 },
      { owner: refs.teamA, entities: 1, items: 1, done: 1, excepted: 0 },
    ]);

    const onEntity = await request(ctx.server)
      .get(`${base}/entities/campaigns`)
      .query({ entityRef: 'Component:payments-api' })
      .set(as.user('engineer'));
    expect(onEntity.status).toBe(200);
    expect(onEntity.body.items).toEqual([
      expect.objectContaining({
        id: res.body.id,
        items: [
          {
            kind: 'control',
            ref: refs.tls,
            title: 'Encrypt data in transit',
            status: 'passing',
            done: true,
          },
        ],
      }),
    ]);

    const list = await request(ctx.server)
      .get(`${base}/campaigns`)
      .set(as.user('engineer'));
    expect(list.body.totalCount).toBe(1);
    expect(list.body.items[0].progress.done).toBe(1);
  });

  it('closes a campaign once, archiving its result', async () => {
    grant(MANAGE, POSTURE_READ);
    const { body: started } = await start({
      ...campaign,
      entityRefs: [refs.ledger],
      filter: undefined,
      deadline: inDays(10),
    });
    const close = () =>
      request(ctx.server)
        .post(`${base}/campaigns/${started.id}/close`)
        .set(as.user('nadia'));
    const closed = await close();
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'archived',
      closedBy: 'user:default/nadia',
      result: {
        endedBy: 'manager',
        met: false,
        overall: { entities: 1, items: 1, done: 0, excepted: 0 },
        owners: [{ owner: refs.teamB, items: 1, done: 0 }],
      },
    });
    expect((await close()).status).toBe(409);
    const archived = await request(ctx.server)
      .get(`${base}/campaigns`)
      .query({ status: 'archived' })
      .set(as.user('engineer'));
    expect(archived.body.items.map((c: { id: string }) => c.id)).toEqual([
      started.id,
    ]);
    const active = await request(ctx.server)
      .get(`${base}/campaigns`)
      .set(as.user('engineer'));
    expect(active.body).toEqual({ items: [], totalCount: 0 });
    const missing = await request(ctx.server)
      .post(`${base}/campaigns/nope/close`)
      .set(as.user('nadia'));
    expect(missing.status).toBe(404);
  });

  it('refuses reads without posture.read, and closes only with campaign.manage', async () => {
    grant(MANAGE, POSTURE_READ);
    const { body: started } = await start({
      ...campaign,
      deadline: inDays(10),
    });
    grant();
    for (const path of [
      '/campaigns',
      `/campaigns/${started.id}`,
      `/entities/campaigns?entityRef=${refs.payments}`,
    ]) {
      const res = await request(ctx.server)
        .get(`${base}${path}`)
        .set(as.user('engineer'));
      expect(res.status).toBe(403);
    }
    grant(POSTURE_READ);
    const close = await request(ctx.server)
      .post(`${base}/campaigns/${started.id}/close`)
      .set(as.user('engineer'));
    expect(close.status).toBe(403);
    const [row] = await ctx.knex('campaigns').select();
    expect(row.archived_at).toBeNull();
  });
});
