import { addDuration } from '@open-itsm/plugin-security-management-common';
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
  DUE_SOON,
  ENTITIES,
  MFA,
  NOW,
  PAY,
  posture,
  record,
  SHOP,
  TEAM_A,
  test,
  TLS,
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('DatabaseApplicabilityStore', () => {
  const databases = createTestDatabases();

  describe('getControls', () => {
    it.each(databases.eachSupportedId())(
      'reads the named controls as stored, and only those, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const found = await stores.applicability.getControls([
          MFA,
          TLS,
          MFA,
          'securitycontrol:default/unknown',
        ]);
        expect(found.map(c => c.ref).sort()).toEqual([MFA, TLS]);
        expect(found.find(c => c.ref === TLS)).toEqual(
          CONTROLS.find(c => c.ref === TLS),
        );
        await expect(stores.applicability.getControls([])).resolves.toEqual([]);
      },
    );
  });

  describe('replaceCatalogSnapshot', () => {
    it.each(databases.eachSupportedId())(
      'stores the snapshot and returns its counts, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const result = await stores.applicability.replaceCatalogSnapshot({
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
        expect(await stores.applicability.getEntity(SHOP)).toEqual({
          entityRef: SHOP,
          kind: 'Component',
          title: 'Shop',
          owner: TEAM_A,
          system: 'system:default/store',
          domain: 'domain:default/commerce',
          riskTier: 1,
          controlRefs: [MFA, TLS],
        });
        const controls = await stores.applicability.listControls();
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
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [test(TLS, CART, 'pass', ago(DAY))]);

        const result = await stores.applicability.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES.filter(e => e.entityRef !== CART),
          now: NOW,
        });
        expect(result).toMatchObject({ entityCount: 3, removedEntityCount: 1 });
        expect(await stores.applicability.getEntity(CART)).toBeUndefined();
        expect(await posture(stores, CART)).toBeUndefined();
        const list = await stores.posture.listPosture({
          query: {},
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(list.items.map(p => p.entityRef)).not.toContain(CART);
        expect(list.totalCount).toBe(3);
        expect(
          (await stores.applicability.listControls()).find(c => c.ref === TLS)
            ?.applicableCount,
        ).toBe(2);
        const history = await stores.testing.listTestRecords({
          entityRef: CART,
        });
        expect(history.totalCount).toBe(1);

        // Coming back, the entity has its latest test again.
        const back = await stores.applicability.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES,
          now: NOW,
        });
        expect(back.removedEntityCount).toBe(0);
        expect((await posture(stores, CART))?.counts.passing).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'drops controls that left the catalog and recomputes due dates when a cadence changes, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [test(TLS, SHOP, 'pass', ago(40 * DAY))]);
        expect((await posture(stores, SHOP))?.controls?.[1]).toMatchObject({
          status: 'passing',
          nextDueAt: addDuration(ago(40 * DAY), 'P90D'),
        });

        await stores.applicability.replaceCatalogSnapshot({
          controls: [control(TLS, 'P30D'), control(MFA, 'P30D')],
          entities: ENTITIES,
          now: NOW,
        });
        const shop = await posture(stores, SHOP);
        expect(shop?.controls?.find(c => c.control.ref === TLS)).toMatchObject({
          status: 'overdue',
          nextDueAt: addDuration(ago(40 * DAY), 'P30D'),
        });
        expect(
          (await stores.applicability.listControls()).map(c => c.ref),
        ).toEqual([MFA, TLS]);
        expect(
          (await stores.applicability.getEntity(PAY))?.controlRefs,
        ).toEqual([MFA, TLS]);
      },
    );

    it.each(databases.eachSupportedId())(
      'gives a due date to tests recorded before their control was known, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const audit = 'securitycontrol:default/audit';
        await record(stores, [test(audit, SHOP, 'pass', ago(10 * DAY))]);
        await stores.applicability.replaceCatalogSnapshot({
          controls: [...CONTROLS, control(audit, 'P7D')],
          entities: [
            { ...ENTITIES[0], controlRefs: [TLS, MFA, audit] },
            ...ENTITIES.slice(1),
          ],
          now: NOW,
        });
        const shop = await posture(stores, SHOP);
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
        const { stores } = await createStores(databases, databaseId);
        const smaller = ENTITIES.filter(e => e.entityRef !== PAY);
        await Promise.all([
          stores.applicability.replaceCatalogSnapshot({
            controls: CONTROLS,
            entities: smaller,
            now: NOW,
          }),
          stores.applicability.replaceCatalogSnapshot({
            controls: CONTROLS,
            entities: smaller,
            now: NOW,
          }),
        ]);
        expect(await stores.applicability.getEntity(PAY)).toBeUndefined();
        expect(
          (await stores.applicability.getEntity(SHOP))?.controlRefs,
        ).toEqual([MFA, TLS]);
        expect(
          (await stores.applicability.listControls()).map(c => [
            c.ref,
            c.applicableCount,
          ]),
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
        const { stores } = await createStores(databases, databaseId);
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
        const result = await stores.applicability.replaceCatalogSnapshot({
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
        const page = await stores.posture.listPosture({
          query: { limit: 5, owner: 'group:default/team-7' },
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(page.totalCount).toBe(200);
        expect(page.items[0].counts.untested).toBe(12);
      },
    );
  });
});
