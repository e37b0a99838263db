import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import {
  CART,
  createStores,
  DAY,
  DUE_SOON,
  MFA,
  NOW,
  PAY,
  record,
  SHOP,
  TEAM_A,
  test,
  TLS,
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseReportStore } from '../reports/DatabaseReportStore';
import { DatabaseHistoryStore } from './DatabaseHistoryStore';
import { PostureHistory } from './PostureHistory';

jest.setTimeout(60_000);

const at = (days: number) => new Date(NOW.getTime() + days * DAY);

describe('PostureHistory', () => {
  const databases = createTestDatabases();

  /** The stores and a history whose clock the test moves. */
  async function setup(
    databaseId: TestDatabaseId,
    options: { retentionDays?: number; backfillDays?: number } = {},
  ) {
    const { knex, stores } = await createStores(databases, databaseId);
    const database = mockServices.database.mock({
      getClient: async () => knex,
    });
    const store = await DatabaseHistoryStore.create({ database });
    const clock = { now: NOW };
    const history = new PostureHistory({
      store,
      posture: stores.posture,
      facts: await DatabaseReportStore.create({ database }),
      reviewDueSoon: DUE_SOON,
      retentionDays: options.retentionDays ?? 400,
      backfillDays: options.backfillDays ?? 0,
      clock: () => clock.now,
    });
    return { knex, stores, store, history, clock };
  }

  it.each(databases.eachSupportedId())(
    'keeps one row per entity and day under a concurrent second run, %p',
    async databaseId => {
      const { knex, history } = await setup(databaseId);
      // Two replicas at once, a millisecond apart, then a rerun later that day.
      await Promise.all([
        history.snapshot(NOW.getTime()),
        history.snapshot(NOW.getTime() + 1),
      ]);
      await history.snapshot(NOW.getTime() + 3_600_000);

      const rows = await knex('posture_snapshots')
        .select('entity_ref', 'day')
        .orderBy('entity_ref');
      expect(rows).toEqual(
        [CART, 'resource:default/db', PAY, SHOP]
          .sort()
          .map(entity_ref => ({ entity_ref, day: '2026-06-01' })),
      );
      const groups = await knex('posture_snapshot_groups')
        .select('dimension', 'group_key')
        .orderBy(['dimension', 'group_key']);
      // The organisation, 2 owners, 2 systems and 1 domain, once each.
      expect(groups).toEqual([
        { dimension: 'domain', group_key: 'domain:default/commerce' },
        { dimension: 'organisation', group_key: '' },
        { dimension: 'owner', group_key: TEAM_A },
        { dimension: 'owner', group_key: 'group:default/team-b' },
        { dimension: 'system', group_key: 'system:default/payments' },
        { dimension: 'system', group_key: 'system:default/store' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'shows a point per day as posture changes over several days, %p',
    async databaseId => {
      const { stores, store, history, clock } = await setup(databaseId);
      await history.run();
      clock.now = at(1);
      await record(stores, [test(TLS, SHOP, 'fail', at(1).toISOString())]);
      await history.run();
      clock.now = at(2);
      await record(stores, [
        test(TLS, SHOP, 'pass', at(2).toISOString()),
        test(MFA, SHOP, 'pass', at(2).toISOString()),
      ]);
      await history.run();

      const points = await store.entityTrend({
        entityRef: SHOP,
        from: '2026-05-01',
        to: '2026-06-03',
      });
      expect(
        points.map(p => [
          p.day,
          p.source,
          p.counts.failing,
          p.counts.passing,
          p.score,
        ]),
      ).toEqual([
        // Never reviewed: 10 points off the coverage.
        ['2026-06-01', 'snapshot', 0, 0, 0],
        ['2026-06-02', 'snapshot', 1, 0, 0],
        ['2026-06-03', 'snapshot', 0, 2, 90],
      ]);
      expect(points[2].review['never-reviewed']).toBe(1);

      const team = await store.groupTrend({
        dimension: 'owner',
        key: TEAM_A,
        from: '2026-05-01',
        to: '2026-06-03',
      });
      // SHOP (TLS, MFA) and CART (TLS): three pairs summed; the score is coverage.
      expect(team.map(p => [p.day, p.entityCount, p.counts, p.score])).toEqual([
        [
          '2026-06-01',
          2,
          { passing: 0, failing: 0, overdue: 0, untested: 3, excepted: 0 },
          0,
        ],
        [
          '2026-06-02',
          2,
          { passing: 0, failing: 1, overdue: 0, untested: 2, excepted: 0 },
          0,
        ],
        [
          '2026-06-03',
          2,
          { passing: 2, failing: 0, overdue: 0, untested: 1, excepted: 0 },
          67,
        ],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes the days past retention in the same run, %p',
    async databaseId => {
      const { knex, history, clock } = await setup(databaseId, {
        retentionDays: 3,
      });
      for (let day = 0; day < 5; day++) {
        clock.now = at(day);
        await history.run();
      }
      const days = await knex('posture_snapshots')
        .distinct('day')
        .orderBy('day');
      expect(days.map(row => row.day)).toEqual([
        '2026-06-03',
        '2026-06-04',
        '2026-06-05',
      ]);
      const groupDays = await knex('posture_snapshot_groups')
        .distinct('day')
        .orderBy('day');
      expect(groupDays.map(row => row.day)).toEqual([
        '2026-06-03',
        '2026-06-04',
        '2026-06-05',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'backfills the days before the first snapshot from the records, once, %p',
    async databaseId => {
      const { stores, store, history } = await setup(databaseId, {
        backfillDays: 30,
      });
      // The first evidence: a pass 3 days ago, a failure yesterday.
      await record(stores, [
        test(TLS, SHOP, 'pass', at(-3).toISOString()),
        test(MFA, SHOP, 'fail', at(-1).toISOString()),
      ]);
      const first = await history.run();
      expect(first.backfilledDays).toEqual([
        '2026-05-31',
        '2026-05-30',
        '2026-05-29',
      ]);
      // A second run finds nothing left to backfill.
      expect((await history.run()).backfilledDays).toEqual([]);

      const points = await store.entityTrend({
        entityRef: SHOP,
        from: '2026-05-01',
        to: '2026-06-01',
      });
      expect(
        points.map(p => [p.day, p.source, p.counts.passing, p.counts.failing]),
      ).toEqual([
        ['2026-05-29', 'backfill', 1, 0],
        ['2026-05-30', 'backfill', 1, 0],
        ['2026-05-31', 'backfill', 1, 1],
        ['2026-06-01', 'snapshot', 1, 1],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists new failures, newly overdue and fixed controls from the records, %p',
    async databaseId => {
      const { stores, store } = await setup(databaseId);
      await record(stores, [
        // SHOP/TLS: passing 40 days ago, failing 10 days ago: a new failure.
        test(TLS, SHOP, 'pass', at(-100).toISOString()),
        test(TLS, SHOP, 'fail', at(-10).toISOString()),
        // SHOP/MFA (P30D): passed 45 days ago, overdue 15 days ago.
        test(MFA, SHOP, 'pass', at(-45).toISOString()),
        // CART/TLS: failing 40 days ago, passing 5 days ago: fixed.
        test(TLS, CART, 'fail', at(-50).toISOString()),
        test(TLS, CART, 'pass', at(-5).toISOString()),
        // PAY/TLS: failing all along: no change.
        test(TLS, PAY, 'fail', at(-60).toISOString()),
      ]);
      const changes = await store.changes({
        scope: { by: 'organisation' },
        from: at(-30).getTime(),
        to: NOW.getTime(),
      });
      expect(changes.counts).toEqual({
        'new-failure': 1,
        'newly-overdue': 1,
        fixed: 1,
      });
      expect(
        changes.items.map(c => [
          c.kind,
          c.entityRef,
          c.controlRef,
          c.before,
          c.after,
          c.at,
        ]),
      ).toEqual([
        ['fixed', CART, TLS, 'failing', 'passing', at(-5).toISOString()],
        ['new-failure', SHOP, TLS, 'passing', 'failing', at(-10).toISOString()],
        [
          'newly-overdue',
          SHOP,
          MFA,
          'passing',
          'overdue',
          at(-15).toISOString(),
        ],
      ]);
      const team = await store.changes({
        scope: { by: 'owner', key: 'group:default/team-b' },
        from: at(-30).getTime(),
        to: NOW.getTime(),
      });
      expect(team.totalCount).toBe(0);
      const entity = await store.changes({
        scope: { by: 'entity', key: CART },
        from: at(-30).getTime(),
        to: NOW.getTime(),
      });
      expect(entity.items.map(c => c.kind)).toEqual(['fixed']);
    },
  );
});
