import {
  ControlPosture,
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

/*
 * A control whose latest test failed is due for a retest now: no view
 * presents a date a cadence ahead ("next due in 2 months") for it.
 */

const base = '/api/security-management';

jest.setTimeout(30_000);

describe('the next test of a failing control', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend();
    setPermissions(
      ctx.permissions,
      allow(
        securityPostureReadPermission.name,
        securityTestRecordCreatePermission.name,
      ),
    );
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  async function views() {
    const get = (path: string, query: object) =>
      request(ctx.server).get(`${base}${path}`).query(query).set(as.user());
    const posture = await get('/posture/entity', {
      entityRef: refs.payments,
    });
    const coverage = await get('/controls/coverage', { controlRef: refs.tls });
    const schedule = await get('/schedule', {});
    return {
      posture: posture.body.controls.find(
        (c: ControlPosture) => c.control.ref === refs.tls,
      ),
      coverage: coverage.body.entities.find(
        (e: { entityRef: string }) => e.entityRef === refs.payments,
      ),
      schedule: schedule.body.tests.find(
        (t: { entityRef: string; controlRef: string }) =>
          t.entityRef === refs.payments && t.controlRef === refs.tls,
      ),
    };
  }

  async function recordTest(result: 'pass' | 'fail', daysAgo: number) {
    const testedAt = new Date(
      Date.now() - daysAgo * 24 * 3600_000,
    ).toISOString();
    const res = await request(ctx.server)
      .post(`${base}/test-records`)
      .set(as.ci())
      .send({
        controlRef: refs.tls,
        entityRef: refs.payments,
        result,
        testedAt,
      });
    expect(res.status).toBe(201);
    return testedAt;
  }

  it('has no due date ahead in posture, coverage or the schedule, and gets one again once it passes', async () => {
    const failedAt = await recordTest('fail', 2);
    const failing = await views();
    expect(failing.posture).toMatchObject({
      status: 'failing',
      lastResult: 'fail',
      lastTestedAt: failedAt,
    });
    expect(failing.posture.nextDueAt).toBeUndefined();
    expect(failing.coverage).toMatchObject({
      status: 'failing',
      lastTestedAt: failedAt,
    });
    expect(failing.coverage.nextDueAt).toBeUndefined();
    // Listed now, whatever the range, as failing rather than due in 90 days.
    expect(failing.schedule).toMatchObject({ state: 'failing' });
    expect(failing.schedule.dueAt).toBeUndefined();

    const passedAt = await recordTest('pass', 1);
    const passing = await views();
    const in90Days = new Date(
      Date.parse(passedAt) + 90 * 24 * 3600_000,
    ).toISOString();
    expect(passing.posture).toMatchObject({
      status: 'passing',
      nextDueAt: in90Days,
    });
    expect(passing.coverage).toMatchObject({
      status: 'passing',
      nextDueAt: in90Days,
    });
    // Due in 90 days: outside the schedule's default 30.
    expect(passing.schedule).toBeUndefined();
  });
});
