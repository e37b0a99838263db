import { emptyControlCounts } from '@open-itsm/plugin-security-management-common';
import { StoredEntity } from '../applicability/ApplicabilityStore';
import {
  ago,
  ALL_INCIDENTS,
  BACKUP,
  CART,
  control,
  CONTROLS,
  createStores,
  DAY,
  DB,
  DUE_SOON,
  ENTITIES,
  MFA,
  NOW,
  PAY,
  record,
  SHOP,
  test,
  TLS,
} from '../__testUtils__/stores';
import { SecurityStores } from '../database';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('posture counts cache', () => {
  const databases = createTestDatabases();

  describe('cached roll-up', () => {
    const ciso = 'user:default/ciso';

    /** The roll-up's counts, and the same computed per entity without the cache. */
    async function compare(stores: SecurityStores, now: Date) {
      const rollup = await stores.posture.rollup({
        by: 'owner',
        now,
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      const list = await stores.posture.listPosture({
        query: { limit: 1000 },
        now,
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      const expected = new Map<string | null, object>();
      for (const item of list.items) {
        const key = item.owner ?? null;
        const group = (expected.get(key) as any) ?? {
          key,
          entityCount: 0,
          counts: emptyControlCounts(),
        };
        group.entityCount++;
        for (const [status, count] of Object.entries(item.counts)) {
          group.counts[status] += count;
        }
        expected.set(key, group);
      }
      return {
        actual: rollup.items.map(({ key, entityCount, counts }) => ({
          key,
          entityCount,
          counts,
        })),
        expected: [...expected.values()].sort((a: any, b: any) =>
          a.key < b.key ? -1 : 1,
        ),
      };
    }

    async function expectUncached(stores: SecurityStores, now = NOW) {
      const { actual, expected } = await compare(stores, now);
      expect(actual).toEqual(expected);
      return actual;
    }

    async function approve(
      stores: SecurityStores,
      options: { entityRef: string; controlRef: string; expiresAt: string },
    ) {
      const requested = await stores.exceptions.requestException({
        input: { ...options, justification: 'legacy' },
        requestedBy: 'user:default/dev',
        now: NOW,
      });
      return stores.exceptions.decideException({
        id: requested.id,
        decision: 'approved',
        decidedBy: ciso,
        now: NOW,
      });
    }

    it.each(databases.eachSupportedId())(
      'equals the uncached counts after every kind of write and as time passes, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const later = (days: number) => new Date(NOW.getTime() + days * DAY);
        await expectUncached(stores);

        await record(stores, [test(TLS, SHOP, 'fail', ago(81 * DAY))]);
        expect((await expectUncached(stores))[0].counts.failing).toBe(1);
        // An older passing test changes nothing; a newer one, due in 10 days,
        // does.
        await record(stores, [test(TLS, SHOP, 'pass', ago(82 * DAY))]);
        expect((await expectUncached(stores))[0].counts.failing).toBe(1);
        await record(stores, [test(TLS, SHOP, 'pass', ago(80 * DAY))]);
        expect((await expectUncached(stores))[0].counts.passing).toBe(1);
        // Time alone, without a write: the test becomes overdue exactly at
        // its due date, and an earlier instant still sees it passing.
        const due = NOW.getTime() + 10 * DAY;
        expect(
          (await expectUncached(stores, new Date(due - 1)))[0].counts.passing,
        ).toBe(1);
        expect(
          (await expectUncached(stores, new Date(due)))[0].counts.overdue,
        ).toBe(1);
        expect(
          (await expectUncached(stores, later(11)))[0].counts.overdue,
        ).toBe(1);
        expect((await expectUncached(stores))[0].counts.passing).toBe(1);

        const expiresAt = ago(-5 * DAY);
        await approve(stores, { entityRef: PAY, controlRef: MFA, expiresAt });
        expect((await expectUncached(stores))[1].counts.excepted).toBe(1);
        // Not excepted any more at exactly its expiry, nor once expired.
        expect(
          (await expectUncached(stores, new Date(expiresAt)))[1].counts
            .excepted,
        ).toBe(0);
        await stores.exceptions.expireExceptions(new Date(expiresAt));
        expect((await expectUncached(stores))[1].counts.excepted).toBe(0);
        // A rejected request changes nothing.
        const requested = await stores.exceptions.requestException({
          input: {
            entityRef: PAY,
            controlRef: TLS,
            justification: 'x',
            expiresAt,
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        await stores.exceptions.decideException({
          id: requested.id,
          decision: 'rejected',
          decidedBy: ciso,
          now: NOW,
        });
        await expectUncached(stores);

        // Applicability added and removed, a cadence changed, an entity gone.
        const snapshot = (entities: StoredEntity[], controls = CONTROLS) =>
          stores.applicability.replaceCatalogSnapshot({
            controls,
            entities,
            now: NOW,
          });
        await snapshot(
          ENTITIES.map(e =>
            e.entityRef === SHOP ? { ...e, controlRefs: [MFA] } : e,
          ),
        );
        expect((await expectUncached(stores))[0].counts.passing).toBe(0);
        await snapshot(
          ENTITIES.map(e =>
            e.entityRef === DB ? { ...e, controlRefs: [TLS, BACKUP] } : e,
          ),
        );
        expect((await expectUncached(stores))[1].counts.untested).toBe(5);
        await snapshot(ENTITIES, [
          control(TLS, 'P1D'),
          control(MFA, 'P30D'),
          control(BACKUP, 'P1M'),
        ]);
        expect((await expectUncached(stores))[0].counts.overdue).toBe(1);
        await snapshot(ENTITIES.filter(e => e.entityRef !== PAY));
        const [, teamB] = await expectUncached(stores);
        expect(teamB.entityCount).toBe(1);
        await snapshot(ENTITIES, [control(TLS, 'P1D')]);
        await expectUncached(stores);
        await expectUncached(stores, later(400));
      },
    );

    it.each(databases.eachSupportedId())(
      'reads the cached counts until a write marks them stale, %p',
      async databaseId => {
        const { knex, stores } = await createStores(databases, databaseId);
        await record(stores, [test(TLS, SHOP, 'pass', ago(DAY))]);
        const before = await expectUncached(stores);
        expect(await knex('posture_counts').count({ count: '*' })).toEqual([
          { count: expect.anything() },
        ]);
        // A tampered row that no write marked is trusted as it is ...
        await knex('posture_counts')
          .where('entity_ref', SHOP)
          .update({ passing: 7 });
        const tampered = await compare(stores, NOW);
        expect(tampered.actual[0].counts.passing).toBe(
          before[0].counts.passing + 6,
        );
        // ... and recomputed once a write touches the entity.
        await record(stores, [test(MFA, SHOP, 'fail', ago(DAY))]);
        await expectUncached(stores);
      },
    );

    it.each(databases.eachSupportedId())(
      'is correct after writes that ran during roll-ups, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await expectUncached(stores);
        const exception = await stores.exceptions.requestException({
          input: {
            entityRef: CART,
            controlRef: TLS,
            justification: 'x',
            expiresAt: ago(-DAY),
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        const rollup = () =>
          stores.posture.rollup({
            by: 'owner',
            now: NOW,
            reviewDueSoon: DUE_SOON,
            incidentAccess: ALL_INCIDENTS,
          });
        const results = ['fail', 'pass', 'fail', 'pass'] as const;
        await Promise.all([
          rollup(),
          ...results.map((result, i) =>
            record(stores, [
              test(TLS, SHOP, result, ago((4 - i) * 1000)),
              test(MFA, PAY, result, ago((4 - i) * 1000)),
            ]),
          ),
          rollup(),
          stores.exceptions.decideException({
            id: exception.id,
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          }),
          rollup(),
          stores.applicability.replaceCatalogSnapshot({
            controls: CONTROLS,
            entities: ENTITIES.filter(e => e.entityRef !== DB),
            now: NOW,
          }),
          rollup(),
        ]);
        const [teamA, teamB] = await expectUncached(stores);
        expect(teamA.counts).toEqual({
          passing: 1,
          failing: 0,
          overdue: 0,
          untested: 1,
          excepted: 1,
        });
        expect(teamB.counts.passing).toBe(1);
      },
    );
  });
});
