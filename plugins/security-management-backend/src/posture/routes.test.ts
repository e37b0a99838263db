import {
  securityPostureReadPermission,
  securityReportReadPermission,
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

describe('posture routes', () => {
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

  it('changes the posture of an entity when a failing test is posted', async () => {
    grant(allow(POSTURE_READ, TEST_CREATE));
    const before = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: 'component:default/Payments-API' })
      .set(as.user());
    expect(before.status).toBe(200);
    expect(before.body.counts).toMatchObject({ untested: 2, failing: 0 });
    expect(before.body).toMatchObject({
      owner: refs.teamA,
      system: 'system:default/payments',
      domain: 'domain:default/finance',
      riskTier: 1,
    });

    const posted = await request(ctx.server)
      .post(`${base}/test-records`)
      .set(as.user())
      .send({
        controlRef: 'encrypt-data-in-transit',
        entityRef: refs.payments,
        result: 'fail',
        evidenceUrl: 'https://ci.example.com/runs/1',
      });
    expect(posted.status).toBe(201);
    expect(posted.body.created).toBe(true);
    expect(posted.body.record).toMatchObject({
      controlRef: refs.tls,
      tester: 'user:default/alice',
      method: 'automated',
    });

    const after = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: refs.payments })
      .set(as.user());
    expect(after.body.counts).toMatchObject({ untested: 1, failing: 1 });
    const tls = after.body.controls.find(
      (c: { control: { ref: string } }) => c.control.ref === refs.tls,
    );
    expect(tls).toMatchObject({ status: 'failing', lastResult: 'fail' });
  });

  it('answers 404 for the posture of an entity without controls', async () => {
    grant(allow(POSTURE_READ));
    const res = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: refs.lonely })
      .set(as.user());
    expect(res.status).toBe(404);
  });

  it('lists, batches and rolls up posture', async () => {
    grant(allow(POSTURE_READ, securityReportReadPermission.name));
    const list = await request(ctx.server)
      .get(`${base}/posture`)
      .query({ owner: 'team-b' })
      .set(as.user());
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(1);
    expect(list.body.items[0].entityRef).toBe(refs.ledger);

    const batch = await request(ctx.server)
      .post(`${base}/posture/batch`)
      .set(as.user())
      .send({ entityRefs: [refs.ledger, refs.lonely, refs.payments] });
    expect(batch.status).toBe(200);
    expect(
      batch.body.items.map((p: { entityRef: string }) => p.entityRef),
    ).toEqual([refs.ledger, refs.payments]);

    const rollup = await request(ctx.server)
      .get(`${base}/posture/rollup`)
      .query({ by: 'domain' })
      .set(as.user());
    expect(rollup.status).toBe(200);
    expect(rollup.body.items.map((i: { key: string | null }) => i.key)).toEqual(
      ['domain:default/finance', null],
    );
  });
});
