import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  addDuration,
  ControlSummary,
  controlStatus,
  emptyControlCounts,
  IncidentInput,
  reviewStatus,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { DatabaseSecurityStore } from './DatabaseSecurityStore';
import { StoredEntity } from './SecurityStore';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const DUE_SOON = 'P30D';
const TESTER = 'user:default/tester';

const TLS = 'securitycontrol:default/tls';
const MFA = 'securitycontrol:default/mfa';
const BACKUP = 'securitycontrol:default/backup';

const SHOP = 'component:default/shop';
const CART = 'component:default/cart';
const PAY = 'component:default/pay';
const DB = 'resource:default/db';

const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';

function control(ref: string, cadence: string): ControlSummary {
  return {
    ref,
    title: ref.split('/')[1].toUpperCase(),
    owner: 'group:default/security',
    category: 'technical',
    criticality: 'high',
    cadence,
    method: 'automated',
    frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'SC-8' }],
  };
}

const CONTROLS = [
  control(TLS, 'P90D'),
  control(MFA, 'P30D'),
  control(BACKUP, 'P1M'),
];

const ENTITIES: StoredEntity[] = [
  {
    entityRef: SHOP,
    kind: 'Component',
    title: 'Shop',
    owner: TEAM_A,
    system: 'system:default/store',
    domain: 'domain:default/commerce',
    riskTier: 1,
    controlRefs: [TLS, MFA],
  },
  {
    entityRef: CART,
    kind: 'Component',
    owner: TEAM_A,
    system: 'system:default/store',
    domain: 'domain:default/commerce',
    riskTier: 2,
    controlRefs: [TLS],
  },
  {
    entityRef: PAY,
    kind: 'Component',
    owner: TEAM_B,
    system: 'system:default/payments',
    domain: 'domain:default/commerce',
    riskTier: 1,
    controlRefs: [TLS, MFA, BACKUP],
  },
  {
    entityRef: DB,
    kind: 'Resource',
    owner: TEAM_B,
    riskTier: 3,
    controlRefs: [],
  },
];

function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

const DAY = 24 * 60 * 60 * 1000;

describe('DatabaseSecurityStore', () => {
  const databases = TestDatabases.create();

  async function createStore(databaseId: TestDatabaseId): Promise<{
    knex: Knex;
    store: DatabaseSecurityStore;
  }> {
    const knex = await databases.init(databaseId);
    const store = await DatabaseSecurityStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await store.replaceCatalogSnapshot({
      controls: CONTROLS,
      entities: ENTITIES,
      now: NOW,
    });
    return { knex, store };
  }

  function test(
    controlRef: string,
    entityRef: string,
    result: TestResult,
    testedAt: string,
    externalId?: string,
  ) {
    return {
      controlRef,
      entityRef,
      result,
      testedAt,
      method: 'automated' as const,
      externalId,
    };
  }

  async function record(
    store: DatabaseSecurityStore,
    records: ReturnType<typeof test>[],
  ) {
    return store.addTestRecords({ records, tester: TESTER, now: NOW });
  }

  async function posture(store: DatabaseSecurityStore, entityRef: string) {
    return store.getEntityPosture({
      entityRef,
      now: NOW,
      reviewDueSoon: DUE_SOON,
    });
  }

  describe('migrations.skip', () => {
    it.each(databases.eachSupportedId())(
      'does not migrate when told to skip, %p',
      async databaseId => {
        const knex = await databases.init(databaseId);
        await DatabaseSecurityStore.create({
          database: mockServices.database.mock({
            getClient: async () => knex,
            migrations: { skip: true },
          }),
        });
        expect(await knex.schema.hasTable('controls')).toBe(false);
      },
    );
  });

  describe('getControls', () => {
    it.each(databases.eachSupportedId())(
      'reads the named controls as stored, and only those, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const found = await store.getControls([
          MFA,
          TLS,
          MFA,
          'securitycontrol:default/unknown',
        ]);
        expect(found.map(c => c.ref).sort()).toEqual([MFA, TLS]);
        expect(found.find(c => c.ref === TLS)).toEqual(
          CONTROLS.find(c => c.ref === TLS),
        );
        await expect(store.getControls([])).resolves.toEqual([]);
      },
    );
  });

  describe('replaceCatalogSnapshot', () => {
    it.each(databases.eachSupportedId())(
      'stores the snapshot and returns its counts, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const result = await store.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES,
          now: NOW,
        });
        expect(result).toEqual({
          entityCount: 4,
          controlCount: 3,
          pairCount: 6,
          removedEntityCount: 0,
        });
        expect(await store.getEntity(SHOP)).toEqual({
          entityRef: SHOP,
          kind: 'Component',
          title: 'Shop',
          owner: TEAM_A,
          system: 'system:default/store',
          domain: 'domain:default/commerce',
          riskTier: 1,
          controlRefs: [MFA, TLS],
        });
        const controls = await store.listControls();
        expect(controls.map(c => [c.ref, c.applicableCount])).toEqual([
          [BACKUP, 1],
          [MFA, 2],
          [TLS, 3],
        ]);
        expect(controls[2]).toMatchObject({
          title: 'TLS',
          frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'SC-8' }],
          counts: { untested: 3 },
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'stops counting entities that left the catalog but keeps their history, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [test(TLS, CART, 'pass', ago(DAY))]);

        const result = await store.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES.filter(e => e.entityRef !== CART),
          now: NOW,
        });
        expect(result).toMatchObject({ entityCount: 3, removedEntityCount: 1 });
        expect(await store.getEntity(CART)).toBeUndefined();
        expect(await posture(store, CART)).toBeUndefined();
        const list = await store.listPosture({
          query: {},
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(list.items.map(p => p.entityRef)).not.toContain(CART);
        expect(list.totalCount).toBe(3);
        expect(
          (await store.listControls()).find(c => c.ref === TLS)
            ?.applicableCount,
        ).toBe(2);
        const history = await store.listTestRecords({ entityRef: CART });
        expect(history.totalCount).toBe(1);

        // Coming back, the entity has its latest test again.
        const back = await store.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES,
          now: NOW,
        });
        expect(back.removedEntityCount).toBe(0);
        expect((await posture(store, CART))?.counts.passing).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'drops controls that left the catalog and recomputes due dates when a cadence changes, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [test(TLS, SHOP, 'pass', ago(40 * DAY))]);
        expect((await posture(store, SHOP))?.controls?.[1]).toMatchObject({
          status: 'passing',
          nextDueAt: addDuration(ago(40 * DAY), 'P90D'),
        });

        await store.replaceCatalogSnapshot({
          controls: [control(TLS, 'P30D'), control(MFA, 'P30D')],
          entities: ENTITIES,
          now: NOW,
        });
        const shop = await posture(store, SHOP);
        expect(shop?.controls?.find(c => c.control.ref === TLS)).toMatchObject({
          status: 'overdue',
          nextDueAt: addDuration(ago(40 * DAY), 'P30D'),
        });
        expect((await store.listControls()).map(c => c.ref)).toEqual([
          MFA,
          TLS,
        ]);
        expect((await store.getEntity(PAY))?.controlRefs).toEqual([MFA, TLS]);
      },
    );

    it.each(databases.eachSupportedId())(
      'gives a due date to tests recorded before their control was known, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const audit = 'securitycontrol:default/audit';
        await record(store, [test(audit, SHOP, 'pass', ago(10 * DAY))]);
        await store.replaceCatalogSnapshot({
          controls: [...CONTROLS, control(audit, 'P7D')],
          entities: [
            { ...ENTITIES[0], controlRefs: [TLS, MFA, audit] },
            ...ENTITIES.slice(1),
          ],
          now: NOW,
        });
        const shop = await posture(store, SHOP);
        expect(
          shop?.controls?.find(c => c.control.ref === audit),
        ).toMatchObject({
          status: 'overdue',
          nextDueAt: addDuration(ago(10 * DAY), 'P7D'),
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'leaves consistent data when two replicas replace at once, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const smaller = ENTITIES.filter(e => e.entityRef !== PAY);
        await Promise.all([
          store.replaceCatalogSnapshot({
            controls: CONTROLS,
            entities: smaller,
            now: NOW,
          }),
          store.replaceCatalogSnapshot({
            controls: CONTROLS,
            entities: smaller,
            now: NOW,
          }),
        ]);
        expect(await store.getEntity(PAY)).toBeUndefined();
        expect((await store.getEntity(SHOP))?.controlRefs).toEqual([MFA, TLS]);
        expect(
          (await store.listControls()).map(c => [c.ref, c.applicableCount]),
        ).toEqual([
          [BACKUP, 0],
          [MFA, 1],
          [TLS, 2],
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'handles 10k entities with 12 controls each, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const controls = Array.from({ length: 12 }, (_, i) =>
          control(`securitycontrol:default/c${i}`, 'P90D'),
        );
        const entities: StoredEntity[] = Array.from(
          { length: 10_000 },
          (_, i) => ({
            entityRef: `component:default/e${i}`,
            kind: 'Component',
            owner: `group:default/team-${i % 50}`,
            riskTier: 1 + (i % 3),
            controlRefs: controls.map(c => c.ref),
          }),
        );
        const result = await store.replaceCatalogSnapshot({
          controls,
          entities,
          now: NOW,
        });
        expect(result).toEqual({
          entityCount: 10_000,
          controlCount: 12,
          pairCount: 120_000,
          removedEntityCount: 4,
        });
        const page = await store.listPosture({
          query: { limit: 5, owner: 'group:default/team-7' },
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(page.totalCount).toBe(200);
        expect(page.items[0].counts.untested).toBe(12);
      },
    );
  });

  describe('test records', () => {
    it.each(databases.eachSupportedId())(
      'is idempotent by external id and returns the first record, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const [first] = await record(store, [
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

        const again = await record(store, [
          test(TLS, SHOP, 'fail', ago(0), 'ci-1'),
          test(TLS, CART, 'pass', ago(0), 'ci-2'),
          test(TLS, CART, 'fail', ago(0), 'ci-2'),
        ]);
        expect(again.map(r => r.created)).toEqual([false, true, false]);
        expect(again[0].record).toEqual(first.record);
        expect(again[2].record).toEqual(again[1].record);
        expect(again[2].record.result).toBe('pass');
        expect((await store.listTestRecords({})).totalCount).toBe(2);
        // The ignored duplicate did not move the latest test either.
        expect((await posture(store, SHOP))?.counts.passing).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'stores one record for 50 concurrent identical posts, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            record(store, [test(TLS, SHOP, 'pass', ago(DAY), 'ci-same')]),
          ),
        );
        expect(results.filter(([r]) => r.created)).toHaveLength(1);
        expect(new Set(results.map(([r]) => r.record.id)).size).toBe(1);
        expect((await store.listTestRecords({})).totalCount).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'stores a batch all or nothing, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const batch = Array.from({ length: 1000 }, (_, i) =>
          test(TLS, SHOP, 'pass', ago(i * 1000), `batch-${i}`),
        );
        // A NOT NULL violation late in the batch, after earlier chunks went in.
        batch[990] = { ...batch[990], entityRef: null as unknown as string };
        // better-sqlite3's errors are not Error instances in Jest's realm.
        await expect(record(store, batch)).rejects.toHaveProperty(
          'message',
          expect.stringMatching(/not.null/i),
        );
        expect((await store.listTestRecords({})).totalCount).toBe(0);

        batch[990] = test(TLS, SHOP, 'pass', ago(990_000), 'batch-990');
        const results = await record(store, batch);
        expect(results.every(r => r.created)).toBe(true);
        expect((await store.listTestRecords({ limit: 1 })).totalCount).toBe(
          1000,
        );
        expect((await posture(store, SHOP))?.controls?.[1].lastTestedAt).toBe(
          ago(0),
        );
      },
    );

    it.each(databases.eachSupportedId())(
      'keeps the latest test whatever the insert order, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [test(TLS, SHOP, 'fail', ago(DAY))]);
        await record(store, [test(TLS, SHOP, 'pass', ago(5 * DAY))]);
        await record(store, [
          test(MFA, SHOP, 'pass', ago(3 * DAY)),
          test(MFA, SHOP, 'error', ago(2 * DAY)),
          test(MFA, SHOP, 'pass', ago(4 * DAY)),
        ]);
        const shop = await posture(store, SHOP);
        expect(
          shop?.controls?.map(c => [c.control.ref, c.status, c.lastResult]),
        ).toEqual([
          [MFA, 'failing', 'error'],
          [TLS, 'failing', 'fail'],
        ]);
        const records = await store.listTestRecords({
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
      'pages test records newest first, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(
          store,
          [1, 2, 3, 4, 5].map(d => test(TLS, PAY, 'pass', ago(d * DAY))),
        );
        const page = await store.listTestRecords({
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

  describe('posture', () => {
    it.each(databases.eachSupportedId())(
      'follows controlStatus of -common, at the boundaries too, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const tlsCadence = 90 * DAY;
        // Each case is one (entity, control) pair with its latest test and exception.
        const cases: Array<{
          name: string;
          latest?: { result: TestResult; testedAt: string };
          exceptionExpiresAt?: string;
          expected: string;
        }> = [
          { name: 'untested', expected: 'untested' },
          {
            name: 'due exactly now',
            latest: { result: 'pass', testedAt: ago(tlsCadence) },
            expected: 'overdue',
          },
          {
            name: 'due in 1ms',
            latest: { result: 'pass', testedAt: ago(tlsCadence - 1) },
            expected: 'passing',
          },
          {
            name: 'fail',
            latest: { result: 'fail', testedAt: ago(DAY) },
            expected: 'failing',
          },
          {
            name: 'partial',
            latest: { result: 'partial', testedAt: ago(DAY) },
            expected: 'failing',
          },
          {
            name: 'error',
            latest: { result: 'error', testedAt: ago(DAY) },
            expected: 'failing',
          },
          {
            name: 'tested in the future',
            latest: { result: 'pass', testedAt: ago(-DAY) },
            expected: 'passing',
          },
          {
            name: 'exception expiring now',
            latest: { result: 'fail', testedAt: ago(DAY) },
            exceptionExpiresAt: ago(0),
            expected: 'failing',
          },
          {
            name: 'exception expiring in 1ms',
            latest: { result: 'fail', testedAt: ago(DAY) },
            exceptionExpiresAt: ago(-1),
            expected: 'excepted',
          },
        ];
        const entities: StoredEntity[] = cases.map((_, i) => ({
          entityRef: `component:default/case-${i}`,
          kind: 'Component',
          riskTier: 3,
          controlRefs: [TLS],
        }));
        await store.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities,
          now: NOW,
        });
        for (const [i, c] of cases.entries()) {
          const entityRef = entities[i].entityRef;
          if (c.latest) {
            await record(store, [
              test(TLS, entityRef, c.latest.result, c.latest.testedAt),
            ]);
          }
          if (c.exceptionExpiresAt) {
            const requested = await store.requestException({
              input: {
                controlRef: TLS,
                entityRef,
                justification: 'legacy',
                expiresAt: c.exceptionExpiresAt,
              },
              requestedBy: 'user:default/dev',
              now: new Date(NOW.getTime() - DAY),
            });
            await store.decideException({
              id: requested.id,
              decision: 'approved',
              decidedBy: 'user:default/ciso',
              now: new Date(NOW.getTime() - DAY),
            });
          }
        }

        for (const [i, c] of cases.entries()) {
          const expected = controlStatus({
            cadence: 'P90D',
            latest: c.latest,
            exceptionExpiresAt: c.exceptionExpiresAt,
            now: NOW,
          });
          expect([c.name, expected]).toEqual([c.name, c.expected]);
          const single = await posture(store, entities[i].entityRef);
          expect([c.name, single?.controls?.[0].status]).toEqual([
            c.name,
            expected,
          ]);
          expect([c.name, single?.counts[expected as 'passing']]).toEqual([
            c.name,
            1,
          ]);
        }
        const coverage = await store.getControlCoverage({
          controlRef: TLS,
          now: NOW,
        });
        for (const [i, c] of cases.entries()) {
          expect([
            c.name,
            coverage?.entities.find(e => e.entityRef === entities[i].entityRef)
              ?.status,
          ]).toEqual([c.name, c.expected]);
        }
        // The roll-up counts the same statuses, from the pairs directly.
        const expectedCounts = emptyControlCounts();
        for (const c of cases) expectedCounts[c.expected as 'passing']++;
        const rollup = await store.rollup({
          by: 'owner',
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(rollup.items.map(item => item.counts)).toEqual([expectedCounts]);
      },
    );

    it.each(databases.eachSupportedId())(
      'computes review status, open incidents, score and grade, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [
          test(TLS, SHOP, 'pass', ago(DAY)),
          test(MFA, SHOP, 'pass', ago(DAY)),
          test(TLS, PAY, 'pass', ago(DAY)),
        ]);
        const review = (
          entityRef: string,
          reviewedAt: string,
          nextDueAt: string,
        ) =>
          store.createReview({
            input: {
              entityRef,
              outcome: 'approved',
              findings: 'ok',
              reviewedAt,
              nextDueAt,
            },
            reviewer: 'user:default/ciso',
          });
        // An older review due later must not win over the latest one.
        await review(SHOP, ago(200 * DAY), ago(-300 * DAY));
        await review(SHOP, ago(10 * DAY), ago(-30 * DAY));
        await review(CART, ago(10 * DAY), ago(-31 * DAY));
        await review(PAY, ago(400 * DAY), ago(0));
        const incident = (severity: IncidentInput['severity']) =>
          store.createIncident({
            input: { title: severity, severity, affectedEntities: [PAY] },
            actor: { ref: 'user:default/dev' },
            now: NOW,
          });
        await incident('critical');
        await incident('high');
        const closed = await incident('critical');
        for (const to of [
          'triaged',
          'contained',
          'eradicated',
          'recovered',
          'closed',
        ] as const) {
          const current = (await store.getIncident({ id: closed.id }))!;
          await store.transitionIncident({
            id: closed.id,
            to,
            version: current.version,
            actor: { ref: 'user:default/dev' },
            now: NOW,
          });
        }

        const [shop, cart, pay, db] = await store.getPostureBatch({
          entityRefs: [SHOP, CART, PAY, DB],
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(shop.review).toEqual({
          status: 'due-soon',
          lastReviewedAt: ago(10 * DAY),
          lastOutcome: 'approved',
          nextDueAt: ago(-30 * DAY),
          riskTier: 1,
        });
        expect(shop.review.status).toBe(
          reviewStatus({
            nextDueAt: ago(-30 * DAY),
            now: NOW,
            dueSoon: DUE_SOON,
          }),
        );
        expect(shop).toMatchObject({ score: 100, grade: 'A' });
        expect(cart.review.status).toBe('current');
        expect(cart).toMatchObject({
          counts: { untested: 1 },
          score: 0,
          grade: 'F',
        });
        expect(pay.review.status).toBe('overdue');
        expect(pay.openIncidents).toEqual({
          critical: 1,
          high: 1,
          medium: 0,
          low: 0,
        });
        // 1 of 3 passing = 33, -10 overdue review, -15 critical, -5 high.
        expect(pay).toMatchObject({ score: 3, grade: 'F' });
        expect(db).toMatchObject({
          review: { status: 'never-reviewed', riskTier: 3 },
          score: null,
          grade: 'N/A',
        });
        expect(db.controls).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'answers a batch in request order, without unknown or removed entities, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await store.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES.filter(e => e.entityRef !== CART),
          now: NOW,
        });
        const batch = await store.getPostureBatch({
          entityRefs: [PAY, 'component:default/nope', CART, SHOP],
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(batch.map(p => p.entityRef)).toEqual([PAY, SHOP]);
        expect(await posture(store, 'component:default/nope')).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'shows the active exception of a control, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const requested = await store.requestException({
          input: {
            controlRef: MFA,
            entityRef: SHOP,
            justification: 'hardware tokens on order',
            expiresAt: ago(-10 * DAY),
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        expect((await posture(store, SHOP))?.counts.excepted).toBe(0);
        await store.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: 'user:default/ciso',
          now: NOW,
        });
        const shop = await posture(store, SHOP);
        expect(shop?.controls?.[0]).toEqual({
          control: CONTROLS[1],
          status: 'excepted',
          exception: {
            id: requested.id,
            expiresAt: ago(-10 * DAY),
            justification: 'hardware tokens on order',
          },
        });
        expect(shop?.counts).toEqual({
          passing: 0,
          failing: 0,
          overdue: 0,
          untested: 1,
          excepted: 1,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'filters, counts and orders the posture list in SQL, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [
          test(TLS, PAY, 'fail', ago(DAY)),
          test(MFA, PAY, 'pass', ago(100 * DAY)),
          test(TLS, CART, 'fail', ago(DAY)),
          test(TLS, SHOP, 'pass', ago(DAY)),
        ]);
        await store.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved',
            findings: 'ok',
            reviewedAt: ago(DAY),
            nextDueAt: ago(-100 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const list = (query: object) =>
          store.listPosture({ query, now: NOW, reviewDueSoon: DUE_SOON });

        const all = await list({});
        expect(all.totalCount).toBe(4);
        // Most failing + overdue first, then by ref.
        expect(all.items.map(p => p.entityRef)).toEqual([PAY, CART, SHOP, DB]);
        expect(all.items[0].controls).toBeUndefined();

        const failing = await list({ controlStatus: ['failing'], limit: 1 });
        expect(failing.totalCount).toBe(2);
        expect(failing.items.map(p => p.entityRef)).toEqual([PAY]);
        const second = await list({
          controlStatus: ['failing'],
          limit: 1,
          offset: 1,
        });
        expect(second.items.map(p => p.entityRef)).toEqual([CART]);

        const some = await list({ controlStatus: ['overdue', 'untested'] });
        expect(some.items.map(p => p.entityRef)).toEqual([PAY, SHOP]);

        const current = await list({ reviewStatus: ['current'] });
        expect(current.items.map(p => p.entityRef)).toEqual([SHOP]);
        const never = await list({
          reviewStatus: ['never-reviewed'],
          owner: TEAM_B,
        });
        expect(never.items.map(p => p.entityRef)).toEqual([PAY, DB]);
        expect(never.totalCount).toBe(2);

        expect(
          (await list({ system: 'system:default/store' })).totalCount,
        ).toBe(2);
        expect(
          (await list({ domain: 'domain:default/commerce' })).totalCount,
        ).toBe(3);
        expect(
          (await list({ kind: 'Resource' })).items.map(p => p.entityRef),
        ).toEqual([DB]);
        expect(await list({ owner: 'group:default/nobody' })).toEqual({
          items: [],
          totalCount: 0,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'rolls up by owner, system and domain, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [
          test(TLS, SHOP, 'pass', ago(DAY)),
          test(MFA, SHOP, 'pass', ago(DAY)),
          test(TLS, CART, 'fail', ago(DAY)),
          test(TLS, PAY, 'pass', ago(100 * DAY)),
        ]);
        await store.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved',
            findings: 'ok',
            reviewedAt: ago(DAY),
            nextDueAt: ago(-100 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        // One incident on two entities of team-a counts once for team-a.
        await store.createIncident({
          input: {
            title: 'x',
            severity: 'high',
            affectedEntities: [SHOP, CART, PAY],
          },
          actor: { ref: 'user:default/dev' },
          now: NOW,
        });

        const byOwner = await store.rollup({
          by: 'owner',
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(byOwner).toEqual({
          by: 'owner',
          items: [
            {
              key: TEAM_A,
              entityCount: 2,
              counts: {
                passing: 2,
                failing: 1,
                overdue: 0,
                untested: 0,
                excepted: 0,
              },
              review: {
                current: 1,
                'due-soon': 0,
                overdue: 0,
                'never-reviewed': 1,
              },
              openIncidents: { critical: 0, high: 1, medium: 0, low: 0 },
              score: 67,
            },
            {
              key: TEAM_B,
              entityCount: 2,
              counts: {
                passing: 0,
                failing: 0,
                overdue: 1,
                untested: 2,
                excepted: 0,
              },
              review: {
                current: 0,
                'due-soon': 0,
                overdue: 0,
                'never-reviewed': 2,
              },
              openIncidents: { critical: 0, high: 1, medium: 0, low: 0 },
              score: 8,
            },
          ],
        });

        const bySystem = await store.rollup({
          by: 'system',
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(bySystem.items.map(i => [i.key, i.entityCount])).toEqual([
          ['system:default/payments', 1],
          ['system:default/store', 2],
          [null, 1],
        ]);
        const byDomain = await store.rollup({
          by: 'domain',
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(
          byDomain.items.map(i => [i.key, i.entityCount, i.score]),
        ).toEqual([
          ['domain:default/commerce', 3, 38],
          [null, 1, null],
        ]);
      },
    );
  });

  describe('schedule', () => {
    it.each(databases.eachSupportedId())(
      'lists due, overdue and never-done tests and reviews, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await record(store, [
          test(TLS, SHOP, 'pass', ago(80 * DAY)), // due in 10 days
          test(MFA, SHOP, 'pass', ago(40 * DAY)), // overdue 10 days
          test(TLS, CART, 'fail', ago(DAY)), // due in 89 days: outside
          test(TLS, PAY, 'pass', ago(90 * DAY)), // due exactly now: overdue
        ]);
        const requested = await store.requestException({
          input: {
            controlRef: BACKUP,
            entityRef: PAY,
            justification: 'x',
            expiresAt: ago(-DAY),
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        await store.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: 'user:default/ciso',
          now: NOW,
        });
        const review = (entityRef: string, nextDueAt: string) =>
          store.createReview({
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

        const schedule = await store.schedule({
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
          [SHOP, MFA, 'overdue', addDuration(ago(40 * DAY), 'P30D')],
          [PAY, TLS, 'overdue', NOW.toISOString()],
          [SHOP, TLS, 'due', addDuration(ago(80 * DAY), 'P90D')],
          [PAY, MFA, 'untested', undefined],
        ]);
        expect(schedule.tests[0]).toMatchObject({
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

        const teamA = await store.schedule({
          query: { from: NOW.toISOString(), to: ago(-30 * DAY), owner: TEAM_A },
          now: NOW,
        });
        expect(teamA.tests.map(t => t.entityRef)).toEqual([SHOP, SHOP]);
        expect(teamA.reviews.map(r => r.entityRef)).toEqual([SHOP]);
      },
    );
  });

  describe('incidents', () => {
    const jane = { ref: 'user:default/jane' };

    async function open(
      store: DatabaseSecurityStore,
      input?: Partial<IncidentInput>,
    ) {
      return store.createIncident({
        input: {
          title: 'Credential leak',
          description: 'A key was pushed to a public repository',
          severity: 'high',
          affectedEntities: [SHOP, CART],
          failedControls: [TLS],
          externalReferences: [{ type: 'ticket', url: 'https://jira/SEC-1' }],
          ...input,
        },
        actor: jane,
        now: NOW,
      });
    }

    it.each(databases.eachSupportedId())(
      'creates an incident with its timeline, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const incident = await open(store, { reportedAt: ago(DAY) });
        expect(incident).toEqual({
          id: expect.any(String),
          title: 'Credential leak',
          description: 'A key was pushed to a public repository',
          severity: 'high',
          status: 'reported',
          affectedEntities: [CART, SHOP],
          failedControls: [TLS],
          externalReferences: [{ type: 'ticket', url: 'https://jira/SEC-1' }],
          phases: { reported: ago(DAY) },
          createdBy: jane.ref,
          createdAt: NOW.toISOString(),
          updatedAt: NOW.toISOString(),
          version: 1,
        });
        expect(await store.getIncident({ id: incident.id })).toEqual(incident);
        expect(await store.getIncidentTimeline(incident.id)).toEqual([
          {
            id: expect.any(String),
            incidentId: incident.id,
            at: NOW.toISOString(),
            actor: jane.ref,
            action: 'created',
            toStatus: 'reported',
          },
        ]);
        expect(await store.getIncident({ id: 'missing' })).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'moves through the lifecycle one phase at a time and can reopen, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        let incident = await open(store);
        const phases = [
          'triaged',
          'contained',
          'eradicated',
          'recovered',
          'closed',
        ] as const;
        for (const [i, to] of phases.entries()) {
          incident = await store.transitionIncident({
            id: incident.id,
            to,
            version: incident.version,
            note: `to ${to}`,
            actor: jane,
            now: new Date(NOW.getTime() + (i + 1) * DAY),
          });
        }
        expect(incident.status).toBe('closed');
        expect(incident.version).toBe(6);
        expect(incident.phases).toEqual({
          reported: NOW.toISOString(),
          triaged: ago(-DAY),
          contained: ago(-2 * DAY),
          eradicated: ago(-3 * DAY),
          recovered: ago(-4 * DAY),
          closed: ago(-5 * DAY),
        });

        await expect(
          store.transitionIncident({
            id: incident.id,
            to: 'triaged',
            version: incident.version,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(
          new InputError(
            'cannot move incident from closed to triaged; next allowed: reported',
          ),
        );

        const again = await store.transitionIncident({
          id: incident.id,
          to: 'reported',
          version: incident.version,
          note: 'it came back',
          actor: jane,
          now: new Date(NOW.getTime() + 10 * DAY),
        });
        expect(again.status).toBe('reported');
        // Earlier phase times stay: they are when each phase was first reached.
        expect(again.phases).toEqual(incident.phases);
        const moved = await store.transitionIncident({
          id: again.id,
          to: 'triaged',
          version: again.version,
          actor: jane,
          now: new Date(NOW.getTime() + 11 * DAY),
        });
        expect(moved.phases.triaged).toBe(ago(-DAY));

        const timeline = await store.getIncidentTimeline(incident.id);
        expect(timeline.map(e => [e.action, e.fromStatus, e.toStatus])).toEqual(
          [
            ['created', undefined, 'reported'],
            ['transitioned', 'reported', 'triaged'],
            ['transitioned', 'triaged', 'contained'],
            ['transitioned', 'contained', 'eradicated'],
            ['transitioned', 'eradicated', 'recovered'],
            ['transitioned', 'recovered', 'closed'],
            ['transitioned', 'closed', 'reported'],
            ['transitioned', 'reported', 'triaged'],
          ],
        );
        expect(timeline[6]).toMatchObject({
          note: 'it came back',
          actor: jane.ref,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'refuses an illegal jump, a stale version and an unknown incident, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const incident = await open(store);
        await expect(
          store.transitionIncident({
            id: incident.id,
            to: 'closed',
            version: 1,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(
          new InputError(
            'cannot move incident from reported to closed; next allowed: triaged',
          ),
        );
        await expect(
          store.transitionIncident({
            id: incident.id,
            to: 'triaged',
            version: 7,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(ConflictError);
        await expect(
          store.updateIncident({
            id: incident.id,
            patch: { version: 0, title: 'x' },
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(/current version is 1/);
        await expect(
          store.transitionIncident({
            id: 'missing',
            to: 'triaged',
            version: 1,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);
        await expect(
          store.setIncidentReview({
            id: 'missing',
            review: { rootCause: '', lessons: '', remediationActions: [] },
            version: 1,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);
        expect(await store.getIncidentTimeline(incident.id)).toHaveLength(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'lets exactly one of two concurrent transitions win, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const incident = await open(store);
        const results = await Promise.allSettled(
          [0, 1].map(i =>
            store.transitionIncident({
              id: incident.id,
              to: 'triaged',
              version: incident.version,
              note: `attempt ${i}`,
              actor: jane,
              now: NOW,
            }),
          ),
        );
        const fulfilled = results.filter(r => r.status === 'fulfilled');
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(ConflictError);
        expect(rejected[0].reason.message).toMatch(/current version is 2/);
        const timeline = await store.getIncidentTimeline(incident.id);
        expect(timeline.map(e => e.action)).toEqual([
          'created',
          'transitioned',
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'updates fields and records what changed, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const incident = await open(store);
        const ok = await store.updateIncident({
          id: incident.id,
          patch: {
            version: 1,
            title: 'Credential leak',
            severity: 'critical',
            affectedEntities: [PAY, SHOP, PAY],
          },
          actor: jane,
          now: new Date(NOW.getTime() + DAY),
        });
        expect(ok).toMatchObject({
          severity: 'critical',
          affectedEntities: [PAY, SHOP],
          failedControls: [TLS],
          version: 2,
          updatedAt: ago(-DAY),
          createdAt: NOW.toISOString(),
        });
        const [, entry] = await store.getIncidentTimeline(incident.id);
        expect(entry).toMatchObject({
          action: 'updated',
          actor: jane.ref,
          changes: {
            severity: { from: 'high', to: 'critical' },
            affectedEntities: { from: [CART, SHOP], to: [PAY, SHOP] },
          },
        });

        const reviewed = await store.setIncidentReview({
          id: incident.id,
          review: {
            rootCause: 'no scanner',
            lessons: 'scan',
            remediationActions: ['add scanner'],
          },
          version: 2,
          actor: jane,
          now: NOW,
        });
        expect(reviewed).toMatchObject({
          version: 3,
          review: {
            rootCause: 'no scanner',
            lessons: 'scan',
            remediationActions: ['add scanner'],
          },
        });
        const timeline = await store.getIncidentTimeline(incident.id);
        expect(timeline.map(e => e.action)).toEqual([
          'created',
          'updated',
          'reviewed',
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'lists incidents with filters, newest first, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const at = (days: number) => new Date(NOW.getTime() + days * DAY);
        const a = await store.createIncident({
          input: { title: 'a', severity: 'low', affectedEntities: [SHOP] },
          actor: jane,
          now: at(1),
        });
        const b = await store.createIncident({
          input: { title: 'b', severity: 'critical', affectedEntities: [PAY] },
          actor: jane,
          now: at(2),
        });
        const c = await store.createIncident({
          input: { title: 'c', severity: 'high', affectedEntities: [CART, DB] },
          actor: jane,
          now: at(3),
        });
        let current = a;
        for (const to of [
          'triaged',
          'contained',
          'eradicated',
          'recovered',
          'closed',
        ] as const) {
          current = await store.transitionIncident({
            id: a.id,
            to,
            version: current.version,
            actor: jane,
            now: at(4),
          });
        }
        const ids = async (query: object) => {
          const page = await store.listIncidents({ query });
          return [page.items.map(i => i.id), page.totalCount];
        };
        expect(await ids({})).toEqual([[c.id, b.id, a.id], 3]);
        expect(await ids({ limit: 1, offset: 1 })).toEqual([[b.id], 3]);
        expect(await ids({ open: true })).toEqual([[c.id, b.id], 2]);
        expect(await ids({ open: false })).toEqual([[a.id], 1]);
        expect(await ids({ status: ['reported', 'closed'] })).toEqual([
          [c.id, b.id, a.id],
          3,
        ]);
        expect(await ids({ severity: ['critical', 'low'] })).toEqual([
          [b.id, a.id],
          2,
        ]);
        expect(await ids({ owner: TEAM_B })).toEqual([[c.id, b.id], 2]);
        expect(await ids({ entityRef: DB })).toEqual([[c.id], 1]);
        const [first] = (
          await store.listIncidents({ query: { entityRef: DB } })
        ).items;
        expect(first.affectedEntities).toEqual([CART, DB]);
      },
    );

    it.each(databases.eachSupportedId())(
      'hides what the permission filter hides, from items and counts, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const mine = await store.createIncident({
          input: { title: 'mine', severity: 'low', affectedEntities: [SHOP] },
          actor: jane,
          now: NOW,
        });
        const theirs = await store.createIncident({
          input: {
            title: 'theirs',
            severity: 'critical',
            affectedEntities: [PAY],
          },
          actor: { ref: 'user:default/bob' },
          now: new Date(NOW.getTime() + 1),
        });
        const both = await store.createIncident({
          input: {
            title: 'both',
            severity: 'medium',
            affectedEntities: [CART, DB],
          },
          actor: { ref: 'user:default/bob' },
          now: new Date(NOW.getTime() + 2),
        });
        const owned = {
          rule: 'affectsOwnedEntity' as const,
          ownerRefs: [TEAM_A],
        };
        const visible = async (filter: any) => {
          const page = await store.listIncidents({ query: {}, filter });
          return [page.items.map(i => i.title).sort(), page.totalCount];
        };

        expect(await visible(owned)).toEqual([['both', 'mine'], 2]);
        expect(
          await visible({ rule: 'hasSeverity', severities: ['critical'] }),
        ).toEqual([['theirs'], 1]);
        expect(
          await visible({ rule: 'reportedBy', userRefs: [jane.ref] }),
        ).toEqual([['mine'], 1]);
        expect(
          await visible({
            anyOf: [owned, { rule: 'hasSeverity', severities: ['critical'] }],
          }),
        ).toEqual([['both', 'mine', 'theirs'], 3]);
        expect(
          await visible({
            allOf: [
              owned,
              { not: { rule: 'reportedBy', userRefs: [jane.ref] } },
            ],
          }),
        ).toEqual([['both'], 1]);
        expect(await visible({ not: owned })).toEqual([['theirs'], 1]);
        expect(await visible({ anyOf: [] })).toEqual([[], 0]);
        expect(await visible({ not: { allOf: [] } })).toEqual([[], 0]);
        expect(
          await visible({ rule: 'affectsOwnedEntity', ownerRefs: [] }),
        ).toEqual([[], 0]);

        // Filters combine with the query.
        const page = await store.listIncidents({
          query: { severity: ['low'] },
          filter: owned,
        });
        expect([page.items.map(i => i.id), page.totalCount]).toEqual([
          [mine.id],
          1,
        ]);

        expect(
          await store.getIncident({ id: theirs.id, filter: owned }),
        ).toBeUndefined();
        expect(
          (await store.getIncident({ id: both.id, filter: owned }))?.title,
        ).toBe('both');
      },
    );
  });

  describe('reviews', () => {
    it.each(databases.eachSupportedId())(
      'stores reviews and lists them newest first, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const older = await store.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved-with-conditions',
            findings: 'weak ciphers',
            conditions: ['drop TLS 1.1'],
            reviewedAt: ago(100 * DAY),
            nextDueAt: ago(10 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        expect(older).toEqual({
          id: expect.any(String),
          entityRef: SHOP,
          reviewer: 'user:default/ciso',
          outcome: 'approved-with-conditions',
          findings: 'weak ciphers',
          conditions: ['drop TLS 1.1'],
          reviewedAt: ago(100 * DAY),
          nextDueAt: ago(10 * DAY),
        });
        const newer = await store.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved',
            findings: '',
            reviewedAt: ago(DAY),
            nextDueAt: ago(-89 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        await store.createReview({
          input: {
            entityRef: PAY,
            outcome: 'changes-required',
            findings: 'no MFA',
            reviewedAt: ago(2 * DAY),
            nextDueAt: ago(-88 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const shop = await store.listReviews({ entityRef: SHOP });
        expect(shop.items).toEqual([newer, older]);
        expect(shop.totalCount).toBe(2);
        const all = await store.listReviews({ limit: 1 });
        expect([all.items.map(r => r.id), all.totalCount]).toEqual([
          [newer.id],
          3,
        ]);
      },
    );
  });

  describe('exceptions', () => {
    const dev = 'user:default/dev';
    const ciso = 'user:default/ciso';

    async function request(
      store: DatabaseSecurityStore,
      expiresAt = ago(-30 * DAY),
    ) {
      return store.requestException({
        input: {
          controlRef: MFA,
          entityRef: SHOP,
          justification: 'legacy',
          expiresAt,
        },
        requestedBy: dev,
        now: NOW,
      });
    }

    it.each(databases.eachSupportedId())(
      'approves and rejects requests once, never by the requester, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const requested = await request(store);
        expect(requested).toEqual({
          id: expect.any(String),
          controlRef: MFA,
          entityRef: SHOP,
          justification: 'legacy',
          status: 'requested',
          requestedBy: dev,
          requestedAt: NOW.toISOString(),
          expiresAt: ago(-30 * DAY),
        });
        await expect(
          store.decideException({
            id: requested.id,
            decision: 'approved',
            decidedBy: dev,
            now: NOW,
          }),
        ).rejects.toThrow(
          new NotAllowedError(
            'the requester cannot approve their own exception',
          ),
        );
        await expect(
          store.decideException({
            id: 'missing',
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);

        const approved = await store.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: ciso,
          note: 'until the migration',
          now: NOW,
        });
        expect(approved).toMatchObject({
          status: 'approved',
          decidedBy: ciso,
          decidedAt: NOW.toISOString(),
          decisionNote: 'until the migration',
        });
        expect(await store.getException(requested.id)).toEqual(approved);
        await expect(
          store.decideException({
            id: requested.id,
            decision: 'rejected',
            decidedBy: ciso,
            now: NOW,
          }),
        ).rejects.toThrow(ConflictError);

        const other = await request(store);
        const rejected = await store.decideException({
          id: other.id,
          decision: 'rejected',
          decidedBy: ciso,
          now: NOW,
        });
        expect(rejected).toMatchObject({ status: 'rejected', decidedBy: ciso });
        expect(rejected.decisionNote).toBeUndefined();
        expect((await posture(store, SHOP))?.counts.excepted).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'lets one of two concurrent decisions win, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const requested = await request(store);
        const results = await Promise.allSettled([
          store.decideException({
            id: requested.id,
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          }),
          store.decideException({
            id: requested.id,
            decision: 'rejected',
            decidedBy: 'user:default/auditor',
            now: NOW,
          }),
        ]);
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(ConflictError);
        const winner = results.find(
          r => r.status === 'fulfilled',
        ) as PromiseFulfilledResult<any>;
        expect((await store.getException(requested.id))?.status).toBe(
          winner.value.status,
        );
      },
    );

    it.each(databases.eachSupportedId())(
      'expires approved exceptions whose expiry has come, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const approve = async (expiresAt: string) => {
          const r = await request(store, expiresAt);
          return store.decideException({
            id: r.id,
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          });
        };
        const now = await approve(ago(0));
        const past = await approve(ago(DAY));
        const future = await approve(ago(-1));
        const pending = await request(store, ago(DAY));

        const expired = await store.expireExceptions(NOW);
        expect(expired.map(e => e.id).sort()).toEqual([now.id, past.id].sort());
        expect(expired.every(e => e.status === 'expired')).toBe(true);
        expect(await store.expireExceptions(NOW)).toEqual([]);
        expect((await store.getException(future.id))?.status).toBe('approved');
        expect((await store.getException(pending.id))?.status).toBe(
          'requested',
        );

        const list = await store.listExceptions({ status: ['expired'] });
        expect(list.totalCount).toBe(2);
        const soon = await store.listExceptions({
          status: ['approved', 'requested'],
          expiresBefore: NOW.toISOString(),
        });
        expect(soon.items.map(e => e.id)).toEqual([pending.id]);
        const bySubject = await store.listExceptions({
          entityRef: SHOP,
          controlRef: MFA,
          limit: 2,
        });
        expect([bySubject.items.length, bySubject.totalCount]).toEqual([2, 4]);
        expect(await store.listExceptions({ entityRef: PAY })).toEqual({
          items: [],
          totalCount: 0,
        });
      },
    );
  });

  describe('cached roll-up', () => {
    const ciso = 'user:default/ciso';

    /** The roll-up's counts, and the same computed per entity without the cache. */
    async function compare(store: DatabaseSecurityStore, now: Date) {
      const rollup = await store.rollup({
        by: 'owner',
        now,
        reviewDueSoon: DUE_SOON,
      });
      const list = await store.listPosture({
        query: { limit: 1000 },
        now,
        reviewDueSoon: DUE_SOON,
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

    async function expectUncached(store: DatabaseSecurityStore, now = NOW) {
      const { actual, expected } = await compare(store, now);
      expect(actual).toEqual(expected);
      return actual;
    }

    async function approve(
      store: DatabaseSecurityStore,
      options: { entityRef: string; controlRef: string; expiresAt: string },
    ) {
      const requested = await store.requestException({
        input: { ...options, justification: 'legacy' },
        requestedBy: 'user:default/dev',
        now: NOW,
      });
      return store.decideException({
        id: requested.id,
        decision: 'approved',
        decidedBy: ciso,
        now: NOW,
      });
    }

    it.each(databases.eachSupportedId())(
      'equals the uncached counts after every kind of write and as time passes, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        const later = (days: number) => new Date(NOW.getTime() + days * DAY);
        await expectUncached(store);

        await record(store, [test(TLS, SHOP, 'fail', ago(81 * DAY))]);
        expect((await expectUncached(store))[0].counts.failing).toBe(1);
        // An older passing test changes nothing; a newer one, due in 10 days,
        // does.
        await record(store, [test(TLS, SHOP, 'pass', ago(82 * DAY))]);
        expect((await expectUncached(store))[0].counts.failing).toBe(1);
        await record(store, [test(TLS, SHOP, 'pass', ago(80 * DAY))]);
        expect((await expectUncached(store))[0].counts.passing).toBe(1);
        // Time alone, without a write: the test becomes overdue exactly at
        // its due date, and an earlier instant still sees it passing.
        const due = NOW.getTime() + 10 * DAY;
        expect(
          (await expectUncached(store, new Date(due - 1)))[0].counts.passing,
        ).toBe(1);
        expect(
          (await expectUncached(store, new Date(due)))[0].counts.overdue,
        ).toBe(1);
        expect((await expectUncached(store, later(11)))[0].counts.overdue).toBe(
          1,
        );
        expect((await expectUncached(store))[0].counts.passing).toBe(1);

        const expiresAt = ago(-5 * DAY);
        await approve(store, { entityRef: PAY, controlRef: MFA, expiresAt });
        expect((await expectUncached(store))[1].counts.excepted).toBe(1);
        // Not excepted any more at exactly its expiry, nor once expired.
        expect(
          (await expectUncached(store, new Date(expiresAt)))[1].counts.excepted,
        ).toBe(0);
        await store.expireExceptions(new Date(expiresAt));
        expect((await expectUncached(store))[1].counts.excepted).toBe(0);
        // A rejected request changes nothing.
        const requested = await store.requestException({
          input: {
            entityRef: PAY,
            controlRef: TLS,
            justification: 'x',
            expiresAt,
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        await store.decideException({
          id: requested.id,
          decision: 'rejected',
          decidedBy: ciso,
          now: NOW,
        });
        await expectUncached(store);

        // Applicability added and removed, a cadence changed, an entity gone.
        const snapshot = (entities: StoredEntity[], controls = CONTROLS) =>
          store.replaceCatalogSnapshot({ controls, entities, now: NOW });
        await snapshot(
          ENTITIES.map(e =>
            e.entityRef === SHOP ? { ...e, controlRefs: [MFA] } : e,
          ),
        );
        expect((await expectUncached(store))[0].counts.passing).toBe(0);
        await snapshot(
          ENTITIES.map(e =>
            e.entityRef === DB ? { ...e, controlRefs: [TLS, BACKUP] } : e,
          ),
        );
        expect((await expectUncached(store))[1].counts.untested).toBe(5);
        await snapshot(ENTITIES, [
          control(TLS, 'P1D'),
          control(MFA, 'P30D'),
          control(BACKUP, 'P1M'),
        ]);
        expect((await expectUncached(store))[0].counts.overdue).toBe(1);
        await snapshot(ENTITIES.filter(e => e.entityRef !== PAY));
        const [, teamB] = await expectUncached(store);
        expect(teamB.entityCount).toBe(1);
        await snapshot(ENTITIES, [control(TLS, 'P1D')]);
        await expectUncached(store);
        await expectUncached(store, later(400));
      },
    );

    it.each(databases.eachSupportedId())(
      'reads the cached counts until a write marks them stale, %p',
      async databaseId => {
        const { knex, store } = await createStore(databaseId);
        await record(store, [test(TLS, SHOP, 'pass', ago(DAY))]);
        const before = await expectUncached(store);
        expect(await knex('posture_counts').count({ count: '*' })).toEqual([
          { count: expect.anything() },
        ]);
        // A tampered row that no write marked is trusted as it is ...
        await knex('posture_counts')
          .where('entity_ref', SHOP)
          .update({ passing: 7 });
        const tampered = await compare(store, NOW);
        expect(tampered.actual[0].counts.passing).toBe(
          before[0].counts.passing + 6,
        );
        // ... and recomputed once a write touches the entity.
        await record(store, [test(MFA, SHOP, 'fail', ago(DAY))]);
        await expectUncached(store);
      },
    );

    it.each(databases.eachSupportedId())(
      'is correct after writes that ran during roll-ups, %p',
      async databaseId => {
        const { store } = await createStore(databaseId);
        await expectUncached(store);
        const exception = await store.requestException({
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
          store.rollup({ by: 'owner', now: NOW, reviewDueSoon: DUE_SOON });
        const results = ['fail', 'pass', 'fail', 'pass'] as const;
        await Promise.all([
          rollup(),
          ...results.map((result, i) =>
            record(store, [
              test(TLS, SHOP, result, ago((4 - i) * 1000)),
              test(MFA, PAY, result, ago((4 - i) * 1000)),
            ]),
          ),
          rollup(),
          store.decideException({
            id: exception.id,
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          }),
          rollup(),
          store.replaceCatalogSnapshot({
            controls: CONTROLS,
            entities: ENTITIES.filter(e => e.entityRef !== DB),
            now: NOW,
          }),
          rollup(),
        ]);
        const [teamA, teamB] = await expectUncached(store);
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
