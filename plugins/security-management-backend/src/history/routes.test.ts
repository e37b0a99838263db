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
import { DAY_MS, dayOf } from './PostureHistory';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const REPORT_READ = securityReportReadPermission.name;
const TEST_CREATE = securityTestRecordCreatePermission.name;

jest.setTimeout(30_000);

describe('history routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend();
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  const daysAgo = (days: number) => dayOf(Date.now() - days * DAY_MS);

  /** Today's snapshot by the scheduled task, plus earlier days copied from it. */
  async function history(earlierDays: number[]) {
    await ctx.scheduler.triggerTask('security-management-posture-history');
    const today = daysAgo(0);
    const entities = await ctx.knex('posture_snapshots').where({ day: today });
    const groups = await ctx.knex('posture_snapshot_groups').where({
      day: today,
    });
    for (const days of earlierDays) {
      const day = daysAgo(days);
      await ctx
        .knex('posture_snapshots')
        .insert(entities.map(row => ({ ...row, day, source: 'backfill' })));
      await ctx
        .knex('posture_snapshot_groups')
        .insert(groups.map(row => ({ ...row, day, source: 'backfill' })));
    }
  }

  it("answers an entity's points over 30, 90 and 365 days, oldest first", async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    await history([1, 40, 200, 400]);

    const month = await request(ctx.server)
      .get(`${base}/history/entity`)
      .query({ entityRef: refs.payments })
      .set(as.user());
    expect(month.status).toBe(200);
    expect(month.body).toMatchObject({
      scope: { by: 'entity', key: refs.payments },
      days: 30,
      from: daysAgo(29),
      to: daysAgo(0),
    });
    expect(month.body.points.map((p: { day: string }) => p.day)).toEqual([
      daysAgo(1),
      daysAgo(0),
    ]);
    expect(month.body.points[1]).toMatchObject({
      source: 'snapshot',
      entityCount: 1,
      counts: { untested: 2, passing: 0 },
      grade: 'F',
    });

    const quarter = await request(ctx.server)
      .get(`${base}/history/entity`)
      .query({ entityRef: refs.payments, days: '90' })
      .set(as.user());
    expect(quarter.body.points).toHaveLength(3);
    const year = await request(ctx.server)
      .get(`${base}/history/entity`)
      .query({ entityRef: refs.payments, days: 365 })
      .set(as.user());
    expect(year.body.points.map((p: { day: string }) => p.day)).toEqual([
      daysAgo(200),
      daysAgo(40),
      daysAgo(1),
      daysAgo(0),
    ]);
  });

  it("sums an owner's entities as the roll-up does, and the organisation's", async () => {
    setPermissions(ctx.permissions, allow(REPORT_READ));
    await history([3]);
    const rollup = await request(ctx.server)
      .get(`${base}/posture/rollup`)
      .query({ by: 'owner' })
      .set(as.user());
    const teamA = rollup.body.items.find(
      (item: { key: string }) => item.key === refs.teamA,
    );

    const trend = await request(ctx.server)
      .get(`${base}/history/trend`)
      .query({ by: 'owner', key: refs.teamA, days: 90 })
      .set(as.user());
    expect(trend.status).toBe(200);
    expect(trend.body.scope).toEqual({ by: 'owner', key: refs.teamA });
    expect(trend.body.points).toHaveLength(2);
    expect(trend.body.points[1]).toMatchObject({
      day: daysAgo(0),
      entityCount: teamA.entityCount,
      counts: teamA.counts,
      score: teamA.score,
    });

    const organisation = await request(ctx.server)
      .get(`${base}/history/trend`)
      .set(as.user());
    expect(organisation.status).toBe(200);
    expect(organisation.body.scope).toEqual({ by: 'organisation' });
    const entityCount = rollup.body.items.reduce(
      (sum: number, item: { entityCount: number }) => sum + item.entityCount,
      0,
    );
    expect(organisation.body.points[1].entityCount).toBe(entityCount);
  });

  it('lists a new failure posted through the API as what changed', async () => {
    setPermissions(
      ctx.permissions,
      allow(POSTURE_READ, REPORT_READ, TEST_CREATE),
    );
    const posted = await request(ctx.server)
      .post(`${base}/test-records`)
      .set(as.user())
      .send({
        controlRef: refs.tls,
        entityRef: refs.payments,
        result: 'fail',
      });
    expect(posted.status).toBe(201);

    const entity = await request(ctx.server)
      .get(`${base}/history/entity/changes`)
      .query({ entityRef: refs.payments })
      .set(as.user());
    expect(entity.status).toBe(200);
    expect(entity.body.counts).toEqual({
      'new-failure': 1,
      'newly-overdue': 0,
      fixed: 0,
    });
    expect(entity.body.items).toEqual([
      expect.objectContaining({
        kind: 'new-failure',
        entityRef: refs.payments,
        controlRef: refs.tls,
        before: 'untested',
        after: 'failing',
      }),
    ]);

    const teamB = await request(ctx.server)
      .get(`${base}/history/changes`)
      .query({ by: 'owner', key: refs.teamB })
      .set(as.user());
    expect(teamB.body.totalCount).toBe(0);
    const teamA = await request(ctx.server)
      .get(`${base}/history/changes`)
      .query({ by: 'owner', key: refs.teamA, days: 365 })
      .set(as.user());
    expect(teamA.body.totalCount).toBe(1);
  });

  it('names the field of a bad query in a 400', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ, REPORT_READ));
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [
        '/history/entity',
        { entityRef: refs.payments, days: '7' },
        /days: must be 30, 90 or 365/,
      ],
      ['/history/entity', {}, /entityRef/],
      [
        '/history/entity',
        { entityRef: 'not a ref' },
        /entityRef: 'not a ref' is not an entity ref/,
      ],
      ['/history/trend', { by: 'owner' }, /key: is required/],
      ['/history/trend', { key: refs.teamA }, /key: must be left out/],
      ['/history/trend', { by: 'team' }, /by: /],
      ['/history/changes', { by: 'system', days: 'x' }, /days: /],
    ];
    for (const [path, query, message] of cases) {
      const response = await request(ctx.server)
        .get(`${base}${path}`)
        .query(query)
        .set(as.user());
      expect({ path, query, status: response.status }).toEqual({
        path,
        query,
        status: 400,
      });
      expect(response.body.error.message).toMatch(message);
    }
  });

  it('needs posture.read for an entity and report.read for a group', async () => {
    await history([]);
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    for (const path of ['/history/trend', '/history/changes']) {
      const response = await request(ctx.server)
        .get(`${base}${path}`)
        .query({ by: 'owner', key: refs.teamA })
        .set(as.user());
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
    setPermissions(ctx.permissions, allow(REPORT_READ));
    for (const path of ['/history/entity', '/history/entity/changes']) {
      const response = await request(ctx.server)
        .get(`${base}${path}`)
        .query({ entityRef: refs.payments })
        .set(as.user());
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
    const anonymous = await request(ctx.server).get(`${base}/history/trend`);
    expect(anonymous.status).toBe(401);
  });
});
