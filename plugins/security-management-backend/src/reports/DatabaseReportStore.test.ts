import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  CART,
  createStores,
  DAY,
  MFA,
  NOW,
  PAY,
  record,
  SHOP,
  TESTER,
  test,
  TLS,
} from '../__testUtils__/stores';
import { DatabaseReportStore } from './DatabaseReportStore';

jest.setTimeout(60_000);

const before = (days: number) => NOW.getTime() - days * DAY;
const iso = (millis: number) => new Date(millis).toISOString();

describe('DatabaseReportStore', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof createStores>[1]) {
    const { knex, stores } = await createStores(databases, databaseId);
    const store = await DatabaseReportStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    return { knex, stores, store };
  }

  describe('test reports', () => {
    it.each(databases.eachSupportedId())(
      'lists the tests of a control, an entity or a pair within the period, newest first, %p',
      async databaseId => {
        const { stores, store } = await setup(databaseId);
        await stores.testing.addTestRecords({
          tester: TESTER,
          now: NOW,
          records: [
            { ...test(TLS, SHOP, 'pass', iso(before(30))), notes: 'first' },
            {
              ...test(TLS, CART, 'fail', iso(before(20))),
              evidenceUrl: 'https://ci.example.com/runs/1',
            },
            test(MFA, SHOP, 'partial', iso(before(10))),
            // Outside [NOW − 30 days, NOW − 10 days].
            test(TLS, SHOP, 'pass', iso(before(30) - 1)),
            test(TLS, PAY, 'error', iso(before(10) + 1)),
          ],
        });
        const period = { from: before(30), to: before(10), limit: 10 };

        const tls = await store.listTests({
          scope: { controlRef: TLS },
          ...period,
        });
        expect(tls).toEqual([
          {
            id: expect.any(String),
            controlRef: TLS,
            controlTitle: 'TLS',
            entityRef: CART,
            result: 'fail',
            method: 'automated',
            testedAt: before(20),
            tester: TESTER,
            evidenceUrl: 'https://ci.example.com/runs/1',
            recordedAt: NOW.getTime(),
          },
          expect.objectContaining({
            entityRef: SHOP,
            entityTitle: 'Shop',
            testedAt: before(30),
            notes: 'first',
          }),
        ]);
        const shop = await store.listTests({
          scope: { entityRef: SHOP },
          ...period,
        });
        expect(shop.map(t => [t.controlRef, t.result])).toEqual([
          [MFA, 'partial'],
          [TLS, 'pass'],
        ]);
        const pair = await store.listTests({
          scope: { controlRef: MFA, entityRef: SHOP },
          ...period,
        });
        expect(pair.map(t => t.result)).toEqual(['partial']);
        const limited = await store.listTests({
          scope: { controlRef: TLS },
          ...period,
          limit: 1,
        });
        expect(limited.map(t => t.entityRef)).toEqual([CART]);
      },
    );

    it.each(databases.eachSupportedId())(
      'lists the applicable pairs in scope and knows refs by their tests, %p',
      async databaseId => {
        const { stores, store } = await setup(databaseId);
        expect(await store.applicablePairs({ controlRef: MFA })).toEqual([
          {
            controlRef: MFA,
            controlTitle: 'MFA',
            entityRef: PAY,
          },
          {
            controlRef: MFA,
            controlTitle: 'MFA',
            entityRef: SHOP,
            entityTitle: 'Shop',
          },
        ]);
        expect(
          (await store.applicablePairs({ entityRef: SHOP })).map(
            p => p.controlRef,
          ),
        ).toEqual([MFA, TLS]);

        expect(await store.hasTests({ entityRef: SHOP })).toBe(false);
        await record(stores, [test(TLS, SHOP, 'pass', iso(before(1)))]);
        expect(await store.hasTests({ entityRef: SHOP })).toBe(true);
        expect(await store.hasTests({ controlRef: MFA })).toBe(false);
      },
    );
  });

  it.each(databases.eachSupportedId())(
    'reads the status changes of incidents up to as-of, a reopen included, %p',
    async databaseId => {
      const { stores, store } = await setup(databaseId);
      const actor = { ref: 'user:default/responder' };
      const created = await stores.incidents.createIncident({
        input: {
          title: 'Reopened',
          description: '',
          severity: 'low',
          affectedEntities: [SHOP, CART],
          failedControls: [],
          externalReferences: [],
          reportedAt: iso(before(12)),
        },
        actor,
        now: new Date(before(10)),
      });
      let version = created.version;
      const steps = [
        'triaged',
        'contained',
        'eradicated',
        'recovered',
        'closed',
        'reported',
      ] as const;
      for (const [index, to] of steps.entries()) {
        version = (
          await stores.incidents.transitionIncident({
            id: created.id,
            to,
            version,
            actor,
            now: new Date(before(9 - index)),
          })
        ).version;
      }

      const [facts] = await store.incidentFacts({ asOf: before(4) });
      expect(facts).toEqual({
        id: created.id,
        title: 'Reopened',
        severity: 'low',
        reportedAt: before(12),
        containedAt: before(8),
        // The first closure, kept after the reopen.
        closedAt: before(5),
        transitions: [
          { at: before(10), to: 'reported' },
          { at: before(9), to: 'triaged' },
          { at: before(8), to: 'contained' },
          { at: before(7), to: 'eradicated' },
          { at: before(6), to: 'recovered' },
          { at: before(5), to: 'closed' },
          { at: before(4), to: 'reported' },
        ],
        affectedEntities: [CART, SHOP],
      });
      const [earlier] = await store.incidentFacts({ asOf: before(7) });
      expect(earlier.transitions.map(t => t.to)).toEqual([
        'reported',
        'triaged',
        'contained',
        'eradicated',
      ]);
      expect(await store.incidentFacts({ asOf: before(12) - 1 })).toEqual([]);
      expect(
        await store.incidentFacts({
          asOf: before(4),
          filter: { rule: 'hasSeverity', severities: ['high'] },
        }),
      ).toEqual([]);
    },
  );
});
