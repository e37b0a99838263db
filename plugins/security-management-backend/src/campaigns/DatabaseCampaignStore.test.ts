import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { NewCampaign } from './CampaignStore';
import { DatabaseCampaignStore } from './DatabaseCampaignStore';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 24 * 3600_000;
const T = NOW.getTime();
const TLS = 'securitycontrol:default/tls';
const MFA = 'securitycontrol:default/mfa';
const SHOP = 'component:default/shop';
const CART = 'component:default/cart';
const LEDGER = 'component:default/ledger';
const DOCS = 'component:default/docs';
const LIB = 'component:default/lib';
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const GHSA = 'GHSA-34x7-hfp2-rc4v';

function control(ref: string) {
  return {
    control_ref: ref,
    title: ref === TLS ? 'Encrypt data in transit' : 'MFA for admins',
    description: null,
    owner: 'group:default/security',
    category: 'technical',
    criticality: 'high',
    cadence: 'P90D',
    method: 'automated',
    procedure: null,
    frameworks: '[]',
    updated_at: T,
  };
}

function entity(ref: string, owner: string, removedAt: number | null = null) {
  return {
    entity_ref: ref,
    kind: 'component',
    title: null,
    owner,
    system: null,
    domain: null,
    risk_tier: 2,
    removed_at: removedAt,
    updated_at: T,
  };
}

function latest(
  entityRef: string,
  controlRef: string,
  result: string,
  dueAt: number,
) {
  return {
    entity_ref: entityRef,
    control_ref: controlRef,
    record_id: `${entityRef}-${controlRef}`,
    result,
    tested_at: T - DAY,
    due_at: dueAt,
    evidence_url: null,
  };
}

function finding(id: string, entityRef: string, status: string) {
  return {
    id,
    entity_ref: entityRef,
    entity_title: null,
    owner: TEAM_B,
    advisory_id: GHSA,
    severity: 'high',
    known_exploited: false,
    kev: null,
    status,
    justification: null,
    note: null,
    due_at: T + 30 * DAY,
    matches: '[]',
    first_seen_at: T - DAY,
    updated_at: T - DAY,
    updated_by: null,
    resolved_at: null,
  };
}

/**
 * Team A: shop (TLS passing, MFA failing), cart (TLS overdue, MFA
 * excepted). Team B: ledger (TLS untested; the advisory resolved), lib (no
 * control; the advisory open). docs: removed from the catalog, TLS passing.
 */
async function seed(knex: Knex) {
  await knex('controls').insert([control(TLS), control(MFA)]);
  await knex('entities').insert([
    entity(SHOP, TEAM_A),
    entity(CART, TEAM_A),
    entity(LEDGER, TEAM_B),
    entity(DOCS, TEAM_B, T - DAY),
  ]);
  await knex('applicability').insert([
    { entity_ref: SHOP, control_ref: TLS },
    { entity_ref: SHOP, control_ref: MFA },
    { entity_ref: CART, control_ref: TLS },
    { entity_ref: CART, control_ref: MFA },
    { entity_ref: LEDGER, control_ref: TLS },
    { entity_ref: DOCS, control_ref: TLS },
  ]);
  await knex('latest_tests').insert([
    latest(SHOP, TLS, 'pass', T + 30 * DAY),
    latest(SHOP, MFA, 'fail', T + 30 * DAY),
    latest(CART, TLS, 'pass', T - DAY),
    latest(DOCS, TLS, 'pass', T + 30 * DAY),
  ]);
  await knex('exceptions').insert({
    id: 'x1',
    control_ref: MFA,
    entity_ref: CART,
    justification: 'Admin access through the bastion only',
    status: 'approved',
    requested_by: 'user:default/jane',
    requested_at: T - DAY,
    decided_by: 'user:default/nadia',
    decided_at: T - DAY,
    decision_note: null,
    expires_at: T + 60 * DAY,
  });
  await knex('advisory_feeds').insert({
    feed_id: 'osv-npm',
    type: 'osv',
    target: 'https://feeds.example.com/osv/',
    status: 'ok',
    last_attempt_at: T,
    last_success_at: T,
    error: null,
    warnings: '[]',
    advisory_count: 1,
  });
  await knex('advisories').insert({
    advisory_id: GHSA,
    feed_id: 'osv-npm',
    source: 'osv',
    summary: 'tar path traversal',
    details: null,
    severity: 'high',
    aliases: '[]',
    published_at: T,
    modified_at: T,
    withdrawn_at: null,
    references: '[]',
    affected: '[]',
    kev: null,
  });
  await knex('advisory_findings').insert([
    finding('f1', LEDGER, 'resolved'),
    finding('f2', LIB, 'open'),
  ]);
}

function newCampaign(overrides: Partial<NewCampaign> = {}): NewCampaign {
  return {
    name: 'TLS everywhere',
    goal: 'Every service encrypts data in transit by the end of June.',
    controlRefs: [TLS, MFA],
    advisoryIds: [GHSA],
    scope: { filter: { kind: 'component' } },
    entityRefs: [CART, DOCS, LEDGER, LIB, SHOP],
    deadline: new Date(T + 30 * DAY).toISOString(),
    startedBy: 'user:default/nadia',
    ...overrides,
  };
}

describe('DatabaseCampaignStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCampaignStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await seed(knex);
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'computes progress overall and per owner from tests, exceptions and findings, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const campaign = await store.createCampaign({
        campaign: newCampaign(),
        now: NOW,
      });
      // Items: shop TLS (done), shop MFA, cart TLS (overdue), cart MFA
      // (excepted: done), ledger TLS (untested), ledger advisory (done),
      // lib advisory (open). docs is out of the catalog.
      expect(campaign).toMatchObject({
        name: 'TLS everywhere',
        controlRefs: [MFA, TLS],
        advisoryIds: [GHSA],
        entityCount: 5,
        status: 'active',
        deadline: '2026-07-01T00:00:00.000Z',
        startedAt: NOW.toISOString(),
        progress: { entities: 4, items: 7, done: 3, excepted: 1 },
      });

      const detail = await store.getCampaign(campaign.id, NOW);
      expect(detail?.owners).toEqual([
        { owner: TEAM_A, entities: 2, items: 4, done: 2, excepted: 1 },
        { owner: TEAM_B, entities: 2, items: 3, done: 1, excepted: 0 },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves with new evidence: a pass recorded later counts as done, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const campaign = await store.createCampaign({
        campaign: newCampaign({ advisoryIds: [], controlRefs: [TLS] }),
        now: NOW,
      });
      expect(campaign.progress).toEqual({
        entities: 3,
        items: 3,
        done: 1,
        excepted: 0,
      });
      await knex('latest_tests').insert(
        latest(LEDGER, TLS, 'pass', T + 90 * DAY),
      );
      const [after] = (
        await store.listCampaigns({
          status: 'active',
          limit: 10,
          offset: 0,
          now: NOW,
        })
      ).items;
      expect(after.progress.done).toBe(2);
      // Later, shop's pass is past its cadence: overdue is not done.
      const month = await store.getCampaign(
        campaign.id,
        new Date(T + 31 * DAY),
      );
      expect(month?.campaign.progress.done).toBe(1);
      const quarter = await store.getCampaign(
        campaign.id,
        new Date(T + 91 * DAY),
      );
      expect(quarter?.campaign.progress.done).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists an entity its items, and which of them are done, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const campaign = await store.createCampaign({
        campaign: newCampaign(),
        now: NOW,
      });
      expect(await store.listEntityCampaigns(LEDGER, NOW)).toEqual({
        items: [
          {
            id: campaign.id,
            name: 'TLS everywhere',
            goal: campaign.goal,
            deadline: campaign.deadline,
            items: [
              {
                kind: 'advisory',
                ref: GHSA,
                title: 'tar path traversal',
                status: 'resolved',
                done: true,
              },
              {
                kind: 'control',
                ref: TLS,
                title: 'Encrypt data in transit',
                status: 'untested',
                done: false,
              },
            ],
          },
        ],
      });
      expect(
        await store.listEntityCampaigns('component:default/elsewhere', NOW),
      ).toEqual({ items: [] });
      expect(
        await store.listItemEntities({
          campaignId: campaign.id,
          undoneOnly: true,
          now: NOW,
        }),
      ).toEqual([CART, LEDGER, LIB, SHOP]);
      expect(
        await store.listItemEntities({
          campaignId: campaign.id,
          undoneOnly: false,
          now: NOW,
        }),
      ).toEqual([CART, LEDGER, LIB, SHOP]);
    },
  );

  it.each(databases.eachSupportedId())(
    'archives once with the frozen result, and lists archived apart, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const campaign = await store.createCampaign({
        campaign: newCampaign(),
        now: NOW,
      });
      const archived = await store.archiveCampaign({
        id: campaign.id,
        endedBy: 'manager',
        closedBy: 'user:default/nadia',
        now: NOW,
      });
      expect(archived).toMatchObject({
        status: 'archived',
        closedBy: 'user:default/nadia',
        archivedAt: NOW.toISOString(),
        progress: { items: 7, done: 3 },
        result: {
          endedBy: 'manager',
          met: false,
          overall: { entities: 4, items: 7, done: 3, excepted: 1 },
        },
      });
      await expect(
        store.archiveCampaign({
          id: campaign.id,
          endedBy: 'deadline',
          now: NOW,
        }),
      ).rejects.toThrow(ConflictError);
      await expect(
        store.archiveCampaign({ id: 'nope', endedBy: 'deadline', now: NOW }),
      ).rejects.toThrow(NotFoundError);

      // New evidence after archiving does not change the result.
      await knex('latest_tests').insert(
        latest(LEDGER, TLS, 'pass', T + 90 * DAY),
      );
      const detail = await store.getCampaign(campaign.id, NOW);
      expect(detail?.campaign.progress.done).toBe(3);
      expect(detail?.owners).toEqual(archived.result?.owners);

      const query = { limit: 10, offset: 0, now: NOW };
      expect(await store.listCampaigns({ ...query, status: 'active' })).toEqual(
        { items: [], totalCount: 0 },
      );
      const page = await store.listCampaigns({ ...query, status: 'archived' });
      expect(page.totalCount).toBe(1);
      expect(page.items[0].id).toBe(campaign.id);
      expect(await store.listEntityCampaigns(SHOP, NOW)).toEqual({ items: [] });
    },
  );

  it.each(databases.eachSupportedId())(
    'finds ended campaigns and the notices due, each claimed once, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const soon = await store.createCampaign({
        campaign: newCampaign({
          name: 'Soon',
          deadline: new Date(T + 3 * DAY).toISOString(),
        }),
        now: NOW,
      });
      const later = await store.createCampaign({
        campaign: newCampaign({ name: 'Later' }),
        now: NOW,
      });
      const dueSoonMs = 7 * DAY;
      const pending = await store.listPendingNotices({ now: NOW, dueSoonMs });
      expect(pending).toEqual(
        expect.arrayContaining([
          { campaignId: soon.id, notice: 'started' },
          { campaignId: later.id, notice: 'started' },
          { campaignId: soon.id, notice: 'due-soon' },
        ]),
      );
      expect(pending).toHaveLength(3);

      const claim = {
        campaignId: soon.id,
        notice: 'started' as const,
        now: NOW,
      };
      expect(await store.claimNotice(claim)).toBe(true);
      expect(await store.claimNotice(claim)).toBe(false);
      await store.releaseNotice(claim);
      expect(await store.claimNotice(claim)).toBe(true);

      const after = new Date(T + 4 * DAY);
      expect(await store.listEndedCampaigns(after)).toEqual([soon.id]);
      await store.archiveCampaign({
        id: soon.id,
        endedBy: 'deadline',
        now: after,
      });
      expect(await store.listPendingNotices({ now: after, dueSoonMs })).toEqual(
        expect.arrayContaining([
          { campaignId: later.id, notice: 'started' },
          { campaignId: soon.id, notice: 'missed' },
        ]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'names the controls and advisories it does not know, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(
        await store.unknownControls([TLS, 'securitycontrol:default/nope']),
      ).toEqual(['securitycontrol:default/nope']);
      expect(await store.unknownAdvisories([GHSA, 'GHSA-none'])).toEqual([
        'GHSA-none',
      ]);
    },
  );
});
