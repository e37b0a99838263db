import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  NotifyOwnersResult,
  OwnerNotifier,
} from '../notifications/OwnerNotifier';
import { CampaignService } from './CampaignService';
import { DatabaseCampaignStore } from './DatabaseCampaignStore';

jest.setTimeout(60_000);

const DAY = 24 * 3600_000;
const START = new Date('2026-06-01T09:00:00.000Z');
const DEADLINE = new Date(START.getTime() + 30 * DAY);
const TLS = 'securitycontrol:default/tls';
const SHOP = 'component:default/shop';
const CART = 'component:default/cart';

/** What the notifier answers when every owner was told. */
const SENT: NotifyOwnersResult = {
  notified: ['group:default/team-a'],
  alreadyNotified: [],
  failed: [],
  withoutOwner: [],
};

function at(days: number): Date {
  return new Date(START.getTime() + days * DAY);
}

async function seed(knex: Knex) {
  await knex('controls').insert({
    control_ref: TLS,
    title: 'TLS',
    description: null,
    owner: 'group:default/security',
    category: 'technical',
    criticality: 'high',
    cadence: 'P365D',
    method: 'automated',
    procedure: null,
    frameworks: '[]',
    updated_at: START.getTime(),
  });
  for (const [ref, owner] of [
    [SHOP, 'group:default/team-a'],
    [CART, 'group:default/team-b'],
  ]) {
    await knex('entities').insert({
      entity_ref: ref,
      kind: 'component',
      title: null,
      owner,
      system: null,
      domain: null,
      risk_tier: 2,
      removed_at: null,
      updated_at: START.getTime(),
    });
    await knex('applicability').insert({ entity_ref: ref, control_ref: TLS });
  }
}

/** Records a pass of TLS on an entity, as the testing store leaves it. */
async function pass(knex: Knex, entityRef: string, when: Date) {
  await knex('latest_tests').insert({
    entity_ref: entityRef,
    control_ref: TLS,
    record_id: `r-${entityRef}`,
    result: 'pass',
    tested_at: when.getTime(),
    due_at: when.getTime() + 365 * DAY,
    evidence_url: null,
  });
}

describe('CampaignService transitions', () => {
  const databases = createTestDatabases({ ids: ['SQLITE_3'] });

  async function setup() {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseCampaignStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await seed(knex);
    const notifyOwners = jest.fn<
      ReturnType<OwnerNotifier['notifyOwners']>,
      Parameters<OwnerNotifier['notifyOwners']>
    >(async () => SENT);
    const replica = (notifier?: OwnerNotifier) =>
      new CampaignService({
        store,
        scope: {
          resolve: async () => ({ entityRefs: [CART, SHOP], problems: [] }),
        },
        notifier,
        logger: mockServices.logger.mock(),
      });
    const service = replica({ notifyOwners });
    const started = await service.startCampaign({
      input: {
        name: 'TLS everywhere',
        goal: 'Prove TLS on every service.',
        controlRefs: [TLS],
        filter: { kind: 'component' },
        deadline: DEADLINE.toISOString(),
      },
      startedBy: 'user:default/nadia',
      now: START,
    });
    return { knex, store, service, replica, notifyOwners, started };
  }

  it('tells the owners at the start, once', async () => {
    const { service, notifyOwners, started } = await setup();
    expect(notifyOwners).toHaveBeenCalledTimes(1);
    expect(notifyOwners).toHaveBeenCalledWith({
      entityRefs: [CART, SHOP],
      topic: 'campaigns',
      title: 'Security campaign started: TLS everywhere',
      description: 'Due 2026-07-01. Prove TLS on every service.',
      link: '/security-management/campaigns',
      dedupeKey: `campaign:${started.id}:started`,
    });
    expect(await service.runTransitions(at(1))).toEqual({
      archived: [],
      notices: 0,
    });
    expect(notifyOwners).toHaveBeenCalledTimes(1);
  });

  it('reminds only the owners with items left a week before the deadline', async () => {
    const { knex, service, notifyOwners, started } = await setup();
    await pass(knex, SHOP, at(2));
    expect((await service.runTransitions(at(22))).notices).toBe(0);
    expect((await service.runTransitions(at(23.5))).notices).toBe(1);
    expect(notifyOwners).toHaveBeenLastCalledWith(
      expect.objectContaining({
        entityRefs: [CART],
        title: 'Security campaign due in a week: TLS everywhere',
        dedupeKey: `campaign:${started.id}:due-soon`,
      }),
    );
    expect((await service.runTransitions(at(25))).notices).toBe(0);
  });

  it('archives at the deadline and tells the owners it was missed, once across replicas', async () => {
    const { knex, service, replica, notifyOwners, started } = await setup();
    await pass(knex, SHOP, at(2));
    const other = replica({ notifyOwners });
    const after = at(30.1);
    const [a, b] = await Promise.all([
      service.runTransitions(after),
      other.runTransitions(after),
    ]);
    expect([...a.archived, ...b.archived]).toEqual([started.id]);
    // The missed notice only: a week's reminder is too late by then.
    expect(a.notices + b.notices).toBe(1);
    const missed = notifyOwners.mock.calls.filter(([n]) =>
      n.dedupeKey.endsWith(':missed'),
    );
    expect(missed).toEqual([
      [
        expect.objectContaining({
          entityRefs: [CART],
          title: 'Security campaign missed: TLS everywhere',
        }),
      ],
    ]);
    const [row] = await knex('campaigns').select();
    expect(JSON.parse(row.result)).toMatchObject({
      endedBy: 'deadline',
      met: false,
      overall: { items: 2, done: 1 },
    });
    expect((await service.runTransitions(at(31))).notices).toBe(0);
  });

  it('sends no missed notice for a campaign met by its deadline', async () => {
    const { knex, service, notifyOwners } = await setup();
    await pass(knex, SHOP, at(2));
    await pass(knex, CART, at(3));
    const { archived } = await service.runTransitions(at(31));
    expect(archived).toHaveLength(1);
    const [row] = await knex('campaigns').select();
    expect(JSON.parse(row.result).met).toBe(true);
    expect(
      notifyOwners.mock.calls.map(([n]) => n.dedupeKey.split(':')[2]),
    ).toEqual(['started']);
  });

  it('tries a notice again after the notifier failed', async () => {
    const { service, notifyOwners, started } = await setup();
    notifyOwners.mockRejectedValueOnce(new Error('notifications down'));
    expect((await service.runTransitions(at(24))).notices).toBe(0);
    expect((await service.runTransitions(at(24.1))).notices).toBe(1);
    expect(notifyOwners).toHaveBeenLastCalledWith(
      expect.objectContaining({
        dedupeKey: `campaign:${started.id}:due-soon`,
      }),
    );
  });

  it('tries a notice again for the owners the notifier could not reach', async () => {
    const { service, notifyOwners } = await setup();
    notifyOwners.mockResolvedValueOnce({
      ...SENT,
      failed: ['group:default/team-b'],
    });
    expect((await service.runTransitions(at(24))).notices).toBe(0);
    expect((await service.runTransitions(at(24.1))).notices).toBe(1);
    expect(
      notifyOwners.mock.calls.map(([n]) => n.dedupeKey.split(':')[2]),
    ).toEqual(['started', 'due-soon', 'due-soon']);
  });

  it('keeps notices pending while no notifier is wired', async () => {
    const { knex, store, replica } = await setup();
    await knex('campaign_notices').delete();
    expect((await replica().runTransitions(at(1))).notices).toBe(0);
    expect(await knex('campaign_notices').select()).toEqual([]);
    const notifyOwners = jest.fn(async () => SENT);
    const wired = new CampaignService({
      store,
      scope: { resolve: async () => ({ entityRefs: [], problems: [] }) },
      notifier: { notifyOwners },
      logger: mockServices.logger.mock(),
    });
    expect((await wired.runTransitions(at(1))).notices).toBe(1);
  });
});
