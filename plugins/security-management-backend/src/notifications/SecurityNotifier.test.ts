import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ago,
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
  TEAM_B,
  test,
  TLS,
} from '../__testUtils__/stores';
import { SecurityStores } from '../database';
import { DatabaseDeliveryLedger } from './DatabaseDeliveryLedger';
import { SecurityNotifier } from './SecurityNotifier';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';

function notifierOn(
  knex: Knex,
  send: jest.Mock,
  options: { enabled?: boolean } = {},
) {
  return (async () =>
    new SecurityNotifier({
      db: knex,
      ledger: await DatabaseDeliveryLedger.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      }),
      notifications: { send },
      logger: mockServices.logger.mock(),
      enabled: options.enabled ?? true,
      reviewDueSoon: DUE_SOON,
      exceptionsExpiringWithin: 'P14D',
    }))();
}

function sent(send: jest.Mock): NotificationSendOptions[] {
  return send.mock.calls.map(([options]) => options);
}

/**
 * Team A: Shop and Cart each with TLS passed 100 days ago (P90D: overdue);
 * Shop's MFA passed yesterday. Team B: Pay tested yesterday, its review
 * overdue and its approved TLS exception expiring in 5 days.
 */
async function seedOverdueWork(stores: SecurityStores) {
  await record(stores, [
    test(TLS, SHOP, 'pass', ago(100 * DAY)),
    test(MFA, SHOP, 'pass', ago(DAY)),
    test(TLS, CART, 'pass', ago(100 * DAY)),
    test(TLS, PAY, 'pass', ago(DAY)),
    test(MFA, PAY, 'pass', ago(DAY)),
  ]);
  await stores.reviews.createReview({
    input: {
      entityRef: PAY,
      outcome: 'approved',
      findings: 'ok',
      reviewedAt: ago(400 * DAY),
      nextDueAt: ago(10 * DAY),
    },
    reviewer: 'user:default/ciso',
  });
  const requested = await stores.exceptions.requestException({
    input: {
      controlRef: TLS,
      entityRef: PAY,
      justification: 'Certificate rotation in progress',
      expiresAt: ago(-5 * DAY),
    },
    requestedBy: ALICE,
    now: NOW,
  });
  await stores.exceptions.decideException({
    id: requested.id,
    decision: 'approved',
    decidedBy: 'user:default/carol',
    now: NOW,
  });
}

/** A second client on the same database, as another replica has. */
function secondClient(knex: Knex, databaseId: TestDatabaseId): Knex {
  // An in-memory SQLite database exists only in its one client.
  return databaseId.startsWith('SQLITE')
    ? knex
    : knexFactory({ ...knex.client.config, pool: { min: 0, max: 2 } });
}

describe('SecurityNotifier', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sends each owner one digest of their overdue work, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      await seedOverdueWork(stores);
      const send = jest.fn().mockResolvedValue(undefined);
      const notifier = await notifierOn(knex, send);

      await expect(notifier.sendDailyDigest({ now: NOW })).resolves.toEqual({
        owners: 2,
        sent: 2,
        alreadySent: 0,
        failed: 0,
      });

      const byOwner = new Map(
        sent(send).map(options => [
          (options.recipients as { entityRef: string }).entityRef,
          options,
        ]),
      );
      expect(byOwner.get(TEAM_A)).toEqual({
        recipients: { type: 'entity', entityRef: TEAM_A },
        payload: {
          title: 'Security for team-a: 2 overdue tests',
          description: 'Tests overdue: 2 controls on cart, Shop.',
          severity: 'high',
          topic: 'Security daily digest',
          link: '/security-management/schedule',
          scope: `security-daily-digest:${TEAM_A}`,
        },
      });
      expect(byOwner.get(TEAM_B)?.payload).toMatchObject({
        title: 'Security for team-b: 1 overdue review, 1 exception expiring',
        description: 'Reviews overdue: pay.\nExceptions expiring soon: pay.',
        severity: 'high',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'sends the digest once a day however many replicas race, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      await seedOverdueWork(stores);
      const other = secondClient(knex, databaseId);
      try {
        const send = jest.fn().mockResolvedValue(undefined);
        const replicas = [
          await notifierOn(knex, send),
          await notifierOn(other, send),
          await notifierOn(other, send),
        ];

        const runs = await Promise.all(
          replicas.map(replica => replica.sendDailyDigest({ now: NOW })),
        );
        expect(runs.reduce((sum, run) => sum + run.sent, 0)).toBe(2);
        expect(runs.reduce((sum, run) => sum + run.alreadySent, 0)).toBe(4);
        expect(send).toHaveBeenCalledTimes(2);

        // Later the same day: nothing; the next day: the digest again.
        await replicas[1].sendDailyDigest({
          now: new Date(NOW.getTime() + 20 * 3600_000),
        });
        expect(send).toHaveBeenCalledTimes(2);
        await replicas[2].sendDailyDigest({
          now: new Date(NOW.getTime() + DAY),
        });
        expect(send).toHaveBeenCalledTimes(4);
      } finally {
        if (other !== knex) await other.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'retries a digest whose sending failed on the next run, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      await seedOverdueWork(stores);
      const send = jest
        .fn()
        .mockRejectedValueOnce(new Error('notifications backend down'))
        .mockResolvedValue(undefined);
      const notifier = await notifierOn(knex, send);

      const first = await notifier.sendDailyDigest({ now: NOW });
      expect(first).toMatchObject({ sent: 1, failed: 1 });
      const second = await notifier.sendDailyDigest({ now: NOW });
      expect(second).toMatchObject({ sent: 1, alreadySent: 1, failed: 0 });
      expect(send).toHaveBeenCalledTimes(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'notifies the owners of a set of entities once per key, %p',
    async databaseId => {
      const { knex } = await createStores(databases, databaseId);
      const send = jest.fn().mockResolvedValue(undefined);
      const notifier = await notifierOn(knex, send);
      const options = {
        entityRefs: [SHOP, CART, PAY, 'component:default/unknown'],
        topic: 'campaigns' as const,
        title: 'Campaign started: TLS everywhere',
        description: ({ entityRefs }: { entityRefs: string[] }) =>
          `${entityRefs.length} of your entities are in scope.`,
        link: '/security-management',
        dedupeKey: 'campaign:c1:started',
      };

      await expect(notifier.notifyOwners(options)).resolves.toEqual({
        notified: expect.arrayContaining([TEAM_A, TEAM_B]),
        alreadyNotified: [],
        failed: [],
        withoutOwner: ['component:default/unknown'],
      });
      expect(sent(send)).toContainEqual({
        recipients: { type: 'entity', entityRef: TEAM_A },
        payload: {
          title: 'Campaign started: TLS everywhere',
          description: '2 of your entities are in scope.',
          link: '/security-management',
          severity: 'normal',
          topic: 'Security campaigns',
        },
      });
      expect(send).toHaveBeenCalledTimes(2);

      const again = await notifier.notifyOwners(options);
      expect(again.alreadyNotified.sort()).toEqual([TEAM_A, TEAM_B]);
      expect(send).toHaveBeenCalledTimes(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends nothing while notifications are off, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      await seedOverdueWork(stores);
      const send = jest.fn();
      const notifier = await notifierOn(knex, send, { enabled: false });

      await notifier.sendDailyDigest({ now: NOW });
      await notifier.sendRecentChanges({ now: NOW });
      await notifier.notifyOwners({
        entityRefs: [SHOP],
        topic: 'campaigns',
        title: 'x',
        dedupeKey: 'k',
      });
      expect(send).not.toHaveBeenCalled();
    },
  );

  it.each(databases.eachSupportedId())(
    'tells owners at once of incidents reported or moved and alerts raised, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      const send = jest.fn().mockResolvedValue(undefined);
      const notifier = await notifierOn(knex, send);
      const incident = await stores.incidents.createIncident({
        input: {
          title: 'Leaked token',
          severity: 'high',
          affectedEntities: [SHOP, PAY],
        },
        actor: { ref: ALICE },
        now: NOW,
      });
      await knex('security_alerts').insert({
        id: 'a1',
        title: 'Phishing wave',
        description: 'Targeting staff',
        severity: 'critical',
        precautions: 'Report suspicious mail',
        scope: JSON.stringify({ entityRefs: [CART] }),
        affected_entity_count: 1,
        expires_at: null,
        status: 'active',
        source: 'manual',
        raised_by: ALICE,
        raised_at: NOW.getTime(),
      });
      await knex('security_alert_entities').insert({
        alert_id: 'a1',
        entity_ref: CART,
      });
      const later = new Date(NOW.getTime() + 60_000);

      await expect(notifier.sendRecentChanges({ now: later })).resolves.toEqual(
        { sent: 3, alreadySent: 0, failed: 0 },
      );
      expect(sent(send)).toEqual(
        expect.arrayContaining([
          {
            recipients: {
              type: 'entity',
              entityRef: TEAM_A,
              excludeEntityRef: ALICE,
            },
            payload: {
              title: 'Security incident on shop reported',
              description: `A high incident (${incident.id}) affecting ${SHOP}.`,
              link: '/security-management/incidents',
              severity: 'high',
              topic: 'Security incidents',
            },
          },
          expect.objectContaining({
            recipients: expect.objectContaining({ entityRef: TEAM_B }),
          }),
          {
            recipients: { type: 'entity', entityRef: TEAM_A },
            payload: expect.objectContaining({
              title: 'Security alert on cart: Phishing wave',
              severity: 'critical',
              topic: 'Security alerts',
            }),
          },
        ]),
      );

      await stores.incidents.transitionIncident({
        id: incident.id,
        to: 'triaged',
        version: incident.version,
        actor: { ref: 'user:default/bob' },
        now: later,
      });
      send.mockClear();
      await expect(
        notifier.sendRecentChanges({ now: new Date(later.getTime() + 60_000) }),
      ).resolves.toEqual({ sent: 2, alreadySent: 3, failed: 0 });
      expect(
        sent(send)
          .map(options => options.payload.title)
          .sort(),
      ).toEqual([
        'Security incident on pay moved from reported to triaged',
        'Security incident on shop moved from reported to triaged',
      ]);
    },
  );
});
