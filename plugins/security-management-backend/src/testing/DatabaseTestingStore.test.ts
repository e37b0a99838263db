import { addDuration } from '@open-itsm/plugin-security-management-common';
import {
  ago,
  BACKUP,
  CART,
  createStores,
  DAY,
  DB,
  MFA,
  NOW,
  PAY,
  posture,
  record,
  SHOP,
  TEAM_A,
  test,
  TESTER,
  TLS,
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('DatabaseTestingStore', () => {
  const databases = createTestDatabases();

  describe('test records', () => {
    it.each(databases.eachSupportedId())(
      'is idempotent by external id and returns the first record, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const [first] = await record(stores, [
          test(TLS, SHOP, 'pass', ago(DAY), 'ci-1'),
        ]);
        expect(first.created).toBe(true);
        expect(first.record).toMatchObject({
          controlRef: TLS,
          entityRef: SHOP,
          result: 'pass',
          testedAt: ago(DAY),
          tester: TESTER,
          externalId: 'ci-1',
          recordedAt: NOW.toISOString(),
        });

        const again = await record(stores, [
          test(TLS, SHOP, 'fail', ago(0), 'ci-1'),
          test(TLS, CART, 'pass', ago(0), 'ci-2'),
          test(TLS, CART, 'fail', ago(0), 'ci-2'),
        ]);
        expect(again.map(r => r.created)).toEqual([false, true, false]);
        expect(again[0].record).toEqual(first.record);
        expect(again[2].record).toEqual(again[1].record);
        expect(again[2].record.result).toBe('pass');
        expect((await stores.testing.listTestRecords({})).totalCount).toBe(2);
        // The ignored duplicate did not move the latest test either.
        expect((await posture(stores, SHOP))?.counts.passing).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'stores one record for 50 concurrent identical posts, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            record(stores, [test(TLS, SHOP, 'pass', ago(DAY), 'ci-same')]),
          ),
        );
        expect(results.filter(([r]) => r.created)).toHaveLength(1);
        expect(new Set(results.map(([r]) => r.record.id)).size).toBe(1);
        expect((await stores.testing.listTestRecords({})).totalCount).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'stores a batch all or nothing, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const batch = Array.from({ length: 1000 }, (_, i) =>
          test(TLS, SHOP, 'pass', ago(i * 1000), `batch-${i}`),
        );
        // A NOT NULL violation late in the batch, after earlier chunks went in.
        batch[990] = { ...batch[990], entityRef: null as unknown as string };
        // better-sqlite3's errors are not Error instances in Jest's realm.
        await expect(record(stores, batch)).rejects.toHaveProperty(
          'message',
          expect.stringMatching(/not.null/i),
        );
        expect((await stores.testing.listTestRecords({})).totalCount).toBe(0);

        batch[990] = test(TLS, SHOP, 'pass', ago(990_000), 'batch-990');
        const results = await record(stores, batch);
        expect(results.every(r => r.created)).toBe(true);
        expect(
          (await stores.testing.listTestRecords({ limit: 1 })).totalCount,
        ).toBe(1000);
        expect((await posture(stores, SHOP))?.controls?.[1].lastTestedAt).toBe(
          ago(0),
        );
      },
    );

    it.each(databases.eachSupportedId())(
      'keeps the latest test whatever the insert order, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [test(TLS, SHOP, 'fail', ago(DAY))]);
        await record(stores, [test(TLS, SHOP, 'pass', ago(5 * DAY))]);
        await record(stores, [
          test(MFA, SHOP, 'pass', ago(3 * DAY)),
          test(MFA, SHOP, 'error', ago(2 * DAY)),
          test(MFA, SHOP, 'pass', ago(4 * DAY)),
        ]);
        const shop = await posture(stores, SHOP);
        expect(
          shop?.controls?.map(c => [c.control.ref, c.status, c.lastResult]),
        ).toEqual([
          [MFA, 'failing', 'error'],
          [TLS, 'failing', 'fail'],
        ]);
        const records = await stores.testing.listTestRecords({
          entityRef: SHOP,
          controlRef: TLS,
        });
        expect(records.items.map(r => r.testedAt)).toEqual([
          ago(DAY),
          ago(5 * DAY),
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'agrees with the test history on the latest of tests at one tested-at: the last recorded, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [test(TLS, SHOP, 'pass', ago(DAY))]);
        // A retest reported with the same timestamp, recorded a second later.
        await stores.testing.addTestRecords({
          records: [test(TLS, SHOP, 'fail', ago(DAY))],
          tester: TESTER,
          now: new Date(NOW.getTime() + 1000),
        });

        const history = await stores.testing.listTestRecords({
          entityRef: SHOP,
          controlRef: TLS,
        });
        expect(history.items.map(r => r.result)).toEqual(['fail', 'pass']);
        const tls = (await posture(stores, SHOP))?.controls?.find(
          c => c.control.ref === TLS,
        );
        expect([tls?.status, tls?.lastResult]).toEqual(['failing', 'fail']);
        const coverage = await stores.applicability.getControlCoverage({
          controlRef: TLS,
          now: NOW,
        });
        expect(coverage?.entities.find(e => e.entityRef === SHOP)?.status).toBe(
          'failing',
        );
      },
    );

    it.each(databases.eachSupportedId())(
      'agrees with the test history on the latest of tests at one tested-at in one batch: the greatest id, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const pairs = [
          [TLS, SHOP],
          [MFA, SHOP],
          [TLS, CART],
          [TLS, PAY],
          [MFA, PAY],
          [BACKUP, PAY],
        ] as const;
        await record(
          stores,
          pairs.flatMap(([control, entity]) => [
            test(control, entity, 'pass', ago(DAY)),
            test(control, entity, 'fail', ago(DAY)),
          ]),
        );
        for (const [control, entity] of pairs) {
          const history = await stores.testing.listTestRecords({
            entityRef: entity,
            controlRef: control,
          });
          const [newest, older] = history.items;
          expect(newest.id > older.id).toBe(true);
          const shown = (await posture(stores, entity))?.controls?.find(
            c => c.control.ref === control,
          );
          expect([control, entity, shown?.lastResult]).toEqual([
            control,
            entity,
            newest.result,
          ]);
        }
      },
    );

    it.each(databases.eachSupportedId())(
      'pages test records newest first, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(
          stores,
          [1, 2, 3, 4, 5].map(d => test(TLS, PAY, 'pass', ago(d * DAY))),
        );
        const page = await stores.testing.listTestRecords({
          entityRef: PAY,
          limit: 2,
          offset: 1,
        });
        expect(page.totalCount).toBe(5);
        expect(page.items.map(r => r.testedAt)).toEqual([
          ago(2 * DAY),
          ago(3 * DAY),
        ]);
      },
    );
  });

  describe('schedule', () => {
    it.each(databases.eachSupportedId())(
      'lists due, overdue and never-done tests and reviews, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [
          test(TLS, SHOP, 'pass', ago(80 * DAY)), // due in 10 days
          test(MFA, SHOP, 'pass', ago(40 * DAY)), // overdue 10 days
          test(TLS, CART, 'fail', ago(DAY)), // failing: due again now
          test(TLS, PAY, 'pass', ago(90 * DAY)), // due exactly now: overdue
        ]);
        const requested = await stores.exceptions.requestException({
          input: {
            controlRef: BACKUP,
            entityRef: PAY,
            justification: 'x',
            expiresAt: ago(-DAY),
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        await stores.exceptions.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: 'user:default/ciso',
          now: NOW,
        });
        const review = (entityRef: string, nextDueAt: string) =>
          stores.reviews.createReview({
            input: {
              entityRef,
              outcome: 'approved',
              findings: '',
              reviewedAt: ago(DAY),
              nextDueAt,
            },
            reviewer: 'user:default/ciso',
          });
        await review(SHOP, ago(-20 * DAY));
        await review(CART, ago(-60 * DAY));
        await review(PAY, ago(DAY));

        const schedule = await stores.testing.schedule({
          query: { from: NOW.toISOString(), to: ago(-30 * DAY) },
          now: NOW,
        });
        expect(schedule.from).toBe(NOW.toISOString());
        expect(schedule.to).toBe(ago(-30 * DAY));
        expect(
          schedule.tests.map(t => [
            t.entityRef,
            t.controlRef,
            t.state,
            t.dueAt,
          ]),
        ).toEqual([
          // Not "due in 89 days": a failed test is due again now.
          [CART, TLS, 'failing', undefined],
          [SHOP, MFA, 'overdue', addDuration(ago(40 * DAY), 'P30D')],
          [PAY, TLS, 'overdue', NOW.toISOString()],
          [SHOP, TLS, 'due', addDuration(ago(80 * DAY), 'P90D')],
          [PAY, MFA, 'untested', undefined],
        ]);
        expect(schedule.tests[1]).toMatchObject({
          entityTitle: 'Shop',
          owner: TEAM_A,
          controlTitle: 'MFA',
        });
        expect(
          schedule.reviews.map(r => [r.entityRef, r.state, r.riskTier]),
        ).toEqual([
          [PAY, 'overdue', 1],
          [SHOP, 'due', 1],
          [DB, 'never-reviewed', 3],
        ]);

        const teamA = await stores.testing.schedule({
          query: { from: NOW.toISOString(), to: ago(-30 * DAY), owner: TEAM_A },
          now: NOW,
        });
        expect(teamA.tests.map(t => t.entityRef)).toEqual([CART, SHOP, SHOP]);
        expect(teamA.reviews.map(r => r.entityRef)).toEqual([SHOP]);
      },
    );
  });
});
