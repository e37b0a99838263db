import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { NewAlert } from './AlertStore';
import { DatabaseAlertStore } from './DatabaseAlertStore';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const HOUR = 3600_000;
const SHOP = 'component:default/shop';
const CART = 'component:default/cart';
const MANAGER = 'user:default/nadia';

function at(offsetMs: number): Date {
  return new Date(NOW.getTime() + offsetMs);
}

function newAlert(overrides: Partial<NewAlert> = {}): NewAlert {
  return {
    title: 'Credential stuffing against the login API',
    description: 'A botnet replays leaked passwords.',
    severity: 'high',
    precautions: 'Watch failed logins; enforce MFA for admins.',
    scope: { filter: { kind: 'component' } },
    entityRefs: [CART, SHOP],
    source: 'manual',
    raisedBy: MANAGER,
    ...overrides,
  };
}

describe('DatabaseAlertStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseAlertStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    return { knex, store };
  }

  async function countAlerts(knex: Knex) {
    const [row] = await knex('security_alerts').count({ n: '*' });
    return Number(row.n);
  }

  it.each(databases.eachSupportedId())(
    'stores an alert with the entities it affects, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const { alert, created } = await store.createAlert({
        alert: newAlert({ expiresAt: at(48 * HOUR).toISOString() }),
        now: NOW,
      });
      expect(created).toBe(true);
      expect(alert).toEqual({
        id: expect.any(String),
        title: 'Credential stuffing against the login API',
        description: 'A botnet replays leaked passwords.',
        severity: 'high',
        precautions: 'Watch failed logins; enforce MFA for admins.',
        scope: { filter: { kind: 'component' } },
        affectedEntityCount: 2,
        expiresAt: at(48 * HOUR).toISOString(),
        status: 'active',
        source: 'manual',
        raisedBy: MANAGER,
        raisedAt: NOW.toISOString(),
      });
      expect(await store.getAlert(alert.id, NOW)).toEqual(alert);
      expect(
        await knex('security_alert_entities')
          .where('alert_id', alert.id)
          .orderBy('entity_ref')
          .pluck('entity_ref'),
      ).toEqual([CART, SHOP]);
      // Instants are BIGINT epoch millis.
      const row = await knex('security_alerts').where('id', alert.id).first();
      expect(Number(row.raised_at)).toBe(NOW.getTime());
    },
  );

  it.each(databases.eachSupportedId())(
    'answers an unresolved alert past its expiry as expired, and shows an entity only its active alerts, most severe first, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const raise = async (overrides: Partial<NewAlert>, now = NOW) =>
        (await store.createAlert({ alert: newAlert(overrides), now })).alert;
      const medium = await raise({ severity: 'medium', entityRefs: [SHOP] });
      const critical = await raise({
        severity: 'critical',
        entityRefs: [SHOP],
      });
      // As severe, but raised earlier: after the other critical one.
      const expiring = await raise(
        { severity: 'critical', expiresAt: at(HOUR).toISOString() },
        at(-HOUR),
      );
      const resolved = await raise({ entityRefs: [SHOP] });
      await store.resolveAlert({
        id: resolved.id,
        resolvedBy: MANAGER,
        resolution: 'Blocked the botnet',
        now: NOW,
      });
      const elsewhere = await raise({ entityRefs: [CART] });

      expect((await store.listEntityAlerts(SHOP, NOW)).map(a => a.id)).toEqual([
        critical.id,
        expiring.id,
        medium.id,
      ]);
      // An hour later the expiring alert is expired, without any job.
      const later = at(HOUR);
      expect(
        (await store.listEntityAlerts(SHOP, later)).map(a => a.id),
      ).toEqual([critical.id, medium.id]);
      expect((await store.getAlert(expiring.id, later))?.status).toBe(
        'expired',
      );

      const page = await store.listAlerts(
        { status: 'all', limit: 50, offset: 0 },
        later,
      );
      expect(page.totalCount).toBe(5);
      expect(page.counts).toEqual({ active: 3, resolved: 1, expired: 1 });
      expect(Object.fromEntries(page.items.map(a => [a.id, a.status]))).toEqual(
        {
          [medium.id]: 'active',
          [critical.id]: 'active',
          [expiring.id]: 'expired',
          [resolved.id]: 'resolved',
          [elsewhere.id]: 'active',
        },
      );

      const expired = await store.listAlerts(
        { status: 'expired', limit: 50, offset: 0 },
        later,
      );
      expect(expired.items.map(a => a.id)).toEqual([expiring.id]);
      expect(expired.totalCount).toBe(1);

      const shopActive = await store.listAlerts(
        { status: 'active', entityRef: SHOP, limit: 1, offset: 1 },
        later,
      );
      expect(shopActive.totalCount).toBe(2);
      expect(shopActive.items).toHaveLength(1);
      expect(shopActive.counts).toEqual({
        active: 2,
        resolved: 1,
        expired: 1,
      });

      const none = await store.listAlerts(
        {
          status: 'all',
          entityRef: 'component:default/unknown',
          limit: 50,
          offset: 0,
        },
        later,
      );
      expect(none).toEqual({
        items: [],
        totalCount: 0,
        counts: { active: 0, resolved: 0, expired: 0 },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'resolves an alert once, expired or not, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const { alert } = await store.createAlert({
        alert: newAlert({ expiresAt: at(HOUR).toISOString() }),
        now: NOW,
      });
      const resolved = await store.resolveAlert({
        id: alert.id,
        resolvedBy: MANAGER,
        resolution: 'Rate limits in place',
        now: at(2 * HOUR),
      });
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolvedBy: MANAGER,
        resolvedAt: at(2 * HOUR).toISOString(),
        resolution: 'Rate limits in place',
      });
      await expect(
        store.resolveAlert({
          id: alert.id,
          resolvedBy: 'user:default/other',
          resolution: 'again',
          now: at(3 * HOUR),
        }),
      ).rejects.toThrow(ConflictError);
      expect(await store.getAlert(alert.id)).toEqual(resolved);
      await expect(
        store.resolveAlert({
          id: 'missing',
          resolvedBy: MANAGER,
          resolution: 'n/a',
          now: NOW,
        }),
      ).rejects.toThrow(NotFoundError);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two concurrent resolutions win, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const { alert } = await store.createAlert({
        alert: newAlert(),
        now: NOW,
      });
      const results = await Promise.allSettled(
        ['user:default/a', 'user:default/b'].map(resolvedBy =>
          store.resolveAlert({
            id: alert.id,
            resolvedBy,
            resolution: 'done',
            now: NOW,
          }),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a rule alert once per key, however many raise it at once, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const ruleAlert = newAlert({
        source: 'rule',
        ruleId: 'kev-production-service',
        ruleKey: 'kev:CVE-2024-3400',
        raisedBy: 'rule:kev-production-service',
        scope: { entityRefs: [SHOP] },
        entityRefs: [SHOP],
      });
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.createAlert({ alert: ruleAlert, now: NOW }),
        ),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(new Set(results.map(r => r.alert.id)).size).toBe(1);
      expect(results[0].alert).toMatchObject({
        source: 'rule',
        ruleId: 'kev-production-service',
      });
      expect(await countAlerts(knex)).toBe(1);
      expect(await knex('security_alert_entities').pluck('entity_ref')).toEqual(
        [SHOP],
      );

      // Resolved, the key still raises nothing new.
      await store.resolveAlert({
        id: results[0].alert.id,
        resolvedBy: MANAGER,
        resolution: 'Patched',
        now: NOW,
      });
      const again = await store.createAlert({ alert: ruleAlert, now: NOW });
      expect(again).toMatchObject({
        created: false,
        alert: { id: results[0].alert.id, status: 'resolved' },
      });
      // Manual alerts have no key and never collide.
      await store.createAlert({ alert: newAlert(), now: NOW });
      await store.createAlert({ alert: newAlert(), now: NOW });
      expect(await countAlerts(knex)).toBe(3);
    },
  );
});
