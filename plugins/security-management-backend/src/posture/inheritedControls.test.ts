import { mockServices } from '@backstage/backend-test-utils';
import { StoredEntity } from '../applicability/ApplicabilityStore';
import { DatabaseReportStore } from '../reports/DatabaseReportStore';
import { applicabilityProblems } from '../applicability/lookups';
import {
  ago,
  ALL_INCIDENTS,
  BACKUP,
  CART,
  CONTROLS,
  createStores,
  DAY,
  DB,
  DUE_SOON,
  MFA,
  NOW,
  posture,
  record,
  SHOP,
  TEAM_A,
  TEAM_B,
  test,
  TLS,
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const STORE = 'system:default/store';

/*
 * BACKUP is tested once on the database; MFA once on the store system.
 * SHOP depends on the database and is part of the system: it inherits
 * both (BACKUP from the first parent by ref, as the catalog sync picks)
 * and has TLS directly. CART inherits MFA from the system only.
 */
const SNAPSHOT: StoredEntity[] = [
  {
    entityRef: DB,
    kind: 'resource',
    owner: TEAM_B,
    riskTier: 1,
    controlRefs: [BACKUP],
  },
  {
    entityRef: STORE,
    kind: 'system',
    owner: TEAM_A,
    riskTier: 1,
    controlRefs: [MFA],
  },
  {
    entityRef: SHOP,
    kind: 'component',
    owner: TEAM_A,
    system: STORE,
    riskTier: 1,
    controlRefs: [TLS, BACKUP, MFA],
    inheritedFrom: { [BACKUP]: DB, [MFA]: STORE },
  },
  {
    entityRef: CART,
    kind: 'component',
    owner: TEAM_A,
    system: STORE,
    riskTier: 2,
    controlRefs: [MFA],
    inheritedFrom: { [MFA]: STORE },
  },
];

describe('inherited controls', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof createStores>[1]) {
    const created = await createStores(databases, databaseId);
    await created.stores.applicability.replaceCatalogSnapshot({
      controls: CONTROLS,
      entities: SNAPSHOT,
      now: NOW,
    });
    return created;
  }

  const rollupByOwner = async (
    stores: Awaited<ReturnType<typeof setup>>['stores'],
  ) =>
    Object.fromEntries(
      (
        await stores.posture.rollup({
          by: 'owner',
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        })
      ).items.map(item => [item.key, item]),
    );

  it.each(databases.eachSupportedId())(
    'stores where each control is inherited from, and reads it back, %p',
    async databaseId => {
      const { stores, knex } = await setup(databaseId);
      expect(await stores.applicability.getEntity(SHOP)).toEqual(
        expect.objectContaining({
          controlRefs: [BACKUP, MFA, TLS],
          inheritedFrom: { [BACKUP]: DB, [MFA]: STORE },
        }),
      );
      expect(
        (await stores.applicability.getEntity(DB))?.inheritedFrom,
      ).toBeUndefined();

      // A parent that changes is rewritten; a control becoming direct too.
      await stores.applicability.replaceCatalogSnapshot({
        controls: CONTROLS,
        entities: SNAPSHOT.map(entity =>
          entity.entityRef === SHOP
            ? { ...entity, inheritedFrom: { [BACKUP]: STORE } }
            : entity,
        ),
        now: NOW,
      });
      const rows = await knex('applicability')
        .where('entity_ref', SHOP)
        .orderBy('control_ref')
        .select('control_ref', 'inherited_from');
      expect(rows).toEqual([
        { control_ref: BACKUP, inherited_from: STORE },
        { control_ref: MFA, inherited_from: null },
        { control_ref: TLS, inherited_from: null },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "shows the parent's status on the inheritor, and keeps roll-ups in step with the parent's tests, %p",
    async databaseId => {
      const { stores } = await setup(databaseId);
      await record(stores, [test(BACKUP, DB, 'fail', ago(DAY))]);

      const shop = await posture(stores, SHOP);
      const backup = shop?.controls?.find(c => c.control.ref === BACKUP);
      expect(backup).toMatchObject({
        status: 'failing',
        lastResult: 'fail',
        inheritedFrom: DB,
      });
      expect(
        shop?.controls?.find(c => c.control.ref === TLS)?.inheritedFrom,
      ).toBeUndefined();
      expect(shop?.counts).toEqual({
        passing: 0,
        failing: 1,
        overdue: 0,
        untested: 2,
        excepted: 0,
      });

      // Roll-ups count each (entity, control) once: team-a has the system
      // (MFA), SHOP (TLS, BACKUP, MFA) and CART (MFA).
      let byOwner = await rollupByOwner(stores);
      expect(byOwner[TEAM_A].counts).toEqual({
        passing: 0,
        failing: 1,
        overdue: 0,
        untested: 4,
        excepted: 0,
      });
      expect(byOwner[TEAM_B].counts.failing).toBe(1);

      // A pass on the parent moves the cached counts of its inheritors.
      await record(stores, [
        test(BACKUP, DB, 'pass', ago(DAY / 2)),
        test(MFA, STORE, 'pass', ago(DAY / 2)),
      ]);
      byOwner = await rollupByOwner(stores);
      expect(byOwner[TEAM_A].counts).toEqual({
        passing: 4,
        failing: 0,
        overdue: 0,
        untested: 1,
        excepted: 0,
      });
      expect((await posture(stores, CART))?.controls).toEqual([
        expect.objectContaining({ status: 'passing', inheritedFrom: STORE }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "takes the parent's exception, and its expiry, %p",
    async databaseId => {
      const { stores } = await setup(databaseId);
      const expiresAt = ago(-10 * DAY);
      const requested = await stores.exceptions.requestException({
        input: {
          controlRef: MFA,
          entityRef: STORE,
          justification: 'hardware tokens on order',
          expiresAt,
        },
        requestedBy: 'user:default/dev',
        now: NOW,
      });
      expect((await rollupByOwner(stores))[TEAM_A].counts.excepted).toBe(0);
      await stores.exceptions.decideException({
        id: requested.id,
        decision: 'approved',
        decidedBy: 'user:default/ciso',
        now: NOW,
      });
      expect((await posture(stores, CART))?.controls?.[0]).toMatchObject({
        status: 'excepted',
        exception: { id: requested.id },
      });
      expect((await rollupByOwner(stores))[TEAM_A].counts.excepted).toBe(3);

      // After the expiry the cached counts are not trusted any more.
      const later = await stores.posture.rollup({
        by: 'owner',
        now: new Date(NOW.getTime() + 11 * DAY),
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(
        later.items.find(item => item.key === TEAM_A)?.counts.excepted,
      ).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends tests and exceptions of an inherited control to the parent, %p',
    async databaseId => {
      const { stores } = await setup(databaseId);
      const entity = await stores.applicability.getEntity(CART);
      expect(
        applicabilityProblems({
          entity,
          entityRef: CART,
          controlRef: MFA,
          prefix: 'records[0].',
        }),
      ).toEqual([
        `records[0].entityRef: '${CART}' inherits control '${MFA}' from '${STORE}'; record it on '${STORE}'`,
      ]);
      expect(
        applicabilityProblems({
          entity: await stores.applicability.getEntity(STORE),
          entityRef: STORE,
          controlRef: MFA,
          prefix: '',
        }),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    "gives reports and daily snapshots the parent's test too, %p",
    async databaseId => {
      const { stores, knex } = await setup(databaseId);
      await record(stores, [test(MFA, STORE, 'pass', ago(DAY))]);
      const reports = await DatabaseReportStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
      const { pairs } = await reports.postureFacts({ asOf: NOW.getTime() });
      const mfa = pairs.filter(pair => pair.controlRef === MFA);
      expect(mfa.map(pair => [pair.entityRef, pair.latest?.result])).toEqual([
        [CART, 'pass'],
        [SHOP, 'pass'],
        [STORE, 'pass'],
      ]);
    },
  );
});
