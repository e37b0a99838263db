import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ADVISORY_FINDING_STATUSES,
  ADVISORY_SEVERITIES,
  AdvisoryFinding,
  AdvisoryFindingPage,
  AdvisoryMatch,
  ComponentSource,
  OperationQuery,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { advisoryFixtureFiles } from '../__testUtils__/memoryUrlReader';
import { AdvisoryFeedStore } from './AdvisoryFeedStore';
import {
  AdvisoryFindingStore,
  CurrentMatch,
  EntityMatchResult,
} from './AdvisoryFindingStore';
import { parseKevCatalog, parseOsvFeed, ParsedAdvisory } from './matching';

jest.setTimeout(60_000);

const DAY = 24 * 3600_000;
const NOW = new Date('2026-06-01T00:00:00.000Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const iso = (days: number) => at(days).toISOString();

const SYSTEM = 'security-management:advisory-matching';
const ALICE = 'user:default/alice';
const SHOP = 'component:default/shop';
const CART = 'component:default/cart';
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';

const TAR = 'GHSA-34x7-hfp2-rc4v'; // high
const ELLIPTIC = 'GHSA-848j-6mx2-7j84'; // low
const SHA = 'GHSA-95m3-7q98-8xr5'; // critical
const SUPERSET = 'CVE-2023-27524'; // KEV, due 2024-01-29

const files = advisoryFixtureFiles();
const osv = parseOsvFeed(files.osv).advisories;
const kev = parseKevCatalog(files.kev).advisories;
const byId = new Map<string, ParsedAdvisory>(
  [...osv, ...kev].map(advisory => [advisory.id, advisory]),
);

function npm(name: string, version: string, range: string): AdvisoryMatch {
  return {
    ecosystem: 'npm',
    package: name,
    purl: `pkg:npm/${name}@${version}`,
    installedVersion: version,
    affectedRange: range,
    source: 'purl',
  };
}

const tar621 = npm('tar', '6.2.1', '<7.5.7');
const elliptic661 = npm('elliptic', '6.6.1', '<=6.6.1');
const supersetProduct: AdvisoryMatch = {
  ecosystem: 'kev',
  package: 'Apache:Superset',
  installedVersion: 'unknown',
  affectedRange: 'all versions (the KEV catalog names products, not versions)',
  source: 'kev-product',
};

/** A current match as the service computes it: due a number of days on. */
function match(
  advisoryId: string,
  matches: AdvisoryMatch[],
  dueInDays = 30,
): CurrentMatch {
  const advisory = byId.get(advisoryId)!;
  const kevEntry = advisory.knownExploited;
  const kevDueAt = kevEntry?.dueDate
    ? Date.parse(`${kevEntry.dueDate}T23:59:59.999Z`)
    : undefined;
  return {
    advisoryId,
    severity: advisory.severity,
    kev: kevEntry,
    dueAt: kevDueAt ?? at(dueInDays).getTime(),
    kevDueAt,
    matches,
  };
}

function purlSource(entityRef: string, count: number): ComponentSource {
  return {
    entityRef,
    kind: 'purl',
    location: 'security.open-itsm.dev/purls',
    status: 'ok',
    warnings: [],
    componentCount: count,
    readAt: NOW.toISOString(),
  };
}

function result(
  entityRef: string,
  current: CurrentMatch[],
  options: Partial<EntityMatchResult> = {},
): EntityMatchResult {
  return {
    entityRef,
    title: entityRef === SHOP ? 'Shop' : undefined,
    owner: entityRef === SHOP ? TEAM_A : TEAM_B,
    sources: [purlSource(entityRef, current.length)],
    current,
    complete: true,
    ...options,
  };
}

type Query = OperationQuery<'listAdvisoryFindings'>;

describe('AdvisoryFindingStore', () => {
  const databases = createTestDatabases();

  async function open(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database.mock({
      getClient: async () => knex,
    });
    const feeds = await AdvisoryFeedStore.create({ database });
    const store = await AdvisoryFindingStore.create({ database });
    await feeds.configureFeeds([
      { id: 'github', type: 'osv', target: 'https://feeds.example.com/osv/' },
      { id: 'kev', type: 'kev', target: 'https://feeds.example.com/kev.json' },
    ]);
    await feeds.replaceFeed({
      feedId: 'github',
      advisories: osv,
      warnings: [],
      now: NOW,
    });
    await feeds.replaceFeed({
      feedId: 'kev',
      advisories: kev,
      warnings: [],
      now: NOW,
    });

    const list = (query: Partial<Query> = {}, now = NOW) =>
      store.listFindings({ limit: 50, offset: 0, ...query }, now);
    const one = async (entityRef: string, advisoryId: string, now = NOW) => {
      const page = await list(
        { entityRef, advisoryId, status: [...ADVISORY_FINDING_STATUSES] },
        now,
      );
      expect(page.items).toHaveLength(1);
      return page.items[0];
    };
    const history = async (findingId: string) =>
      (
        await knex('advisory_finding_events')
          .where('finding_id', findingId)
          .orderBy('id')
      ).map(row => ({
        at: new Date(Number(row.at)).toISOString(),
        actor: row.actor,
        from: row.from_status ?? undefined,
        to: row.to_status,
        justification: row.justification ?? undefined,
        note: row.note ?? undefined,
      }));
    /** A first sync of the shop with these matches; the findings it opened. */
    const seedShop = async (current: CurrentMatch[]) => {
      await store.syncEntities({ results: [result(SHOP, current)], now: NOW });
      const findings: AdvisoryFinding[] = [];
      for (const { advisoryId } of current) {
        findings.push(await one(SHOP, advisoryId));
      }
      return findings;
    };
    return { knex, store, list, one, history, seedShop };
  }

  it.each(databases.eachSupportedId())(
    'opens one finding per entity and advisory with its reasons; the same matches again change nothing, %p',
    async databaseId => {
      const { store, list, one, history } = await open(databaseId);
      const first = await store.syncEntities({
        results: [
          result(SHOP, [match(TAR, [tar621]), match(ELLIPTIC, [elliptic661])]),
          result(CART, [match(TAR, [tar621])]),
        ],
        now: NOW,
      });
      expect(first).toEqual({
        opened: [
          { entityRef: SHOP, advisoryId: TAR, knownExploited: false },
          { entityRef: SHOP, advisoryId: ELLIPTIC, knownExploited: false },
          { entityRef: CART, advisoryId: TAR, knownExploited: false },
        ],
        resolved: 0,
      });

      const tar = await one(SHOP, TAR);
      expect(tar).toEqual({
        id: expect.any(String),
        entityRef: SHOP,
        entityTitle: 'Shop',
        owner: TEAM_A,
        advisory: {
          id: TAR,
          source: 'osv',
          feedId: 'github',
          summary: byId.get(TAR)!.summary,
          // The full text is left out of lists: they link to the advisory.
          severity: 'high',
          aliases: ['CVE-2026-24842'],
          knownExploited: false,
          publishedAt: byId.get(TAR)!.publishedAt,
          modifiedAt: byId.get(TAR)!.modifiedAt,
          references: byId.get(TAR)!.references,
        },
        status: 'open',
        dueAt: iso(30),
        overdue: false,
        matches: [tar621],
        firstSeenAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        updatedBy: SYSTEM,
      });
      expect(await history(tar.id)).toEqual([
        { at: NOW.toISOString(), actor: SYSTEM, to: 'open' },
      ]);
      expect(await store.listSources(SHOP)).toEqual([purlSource(SHOP, 2)]);
      expect(await store.getFinding(tar.id, NOW)).toEqual(tar);

      const again = await store.syncEntities({
        results: [
          result(SHOP, [
            match(TAR, [tar621], 60),
            match(ELLIPTIC, [elliptic661]),
          ]),
          result(CART, [match(TAR, [tar621])]),
        ],
        now: at(1),
      });
      expect(again).toEqual({ opened: [], resolved: 0 });
      // The due date is that of the day it was first seen.
      expect(await one(SHOP, TAR)).toEqual(tar);
      expect(await history(tar.id)).toHaveLength(1);
      expect((await list()).totalCount).toBe(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'updates the reasons, title and owner of a finding as they change, and keeps its status, %p',
    async databaseId => {
      const { store, one, history, seedShop } = await open(databaseId);
      const [{ id }] = await seedShop([match(TAR, [tar621])]);
      await store.transitionFinding({
        id,
        transition: { status: 'acknowledged', note: 'Upgrade planned' },
        actor: ALICE,
        now: at(1),
      });

      const tar760 = npm('tar', '7.5.6', '<7.5.7');
      await store.syncEntities({
        results: [
          result(SHOP, [match(TAR, [tar760, { ...tar621, source: 'sbom' }])], {
            title: 'Web shop',
            owner: TEAM_B,
          }),
        ],
        now: at(2),
      });
      expect(await one(SHOP, TAR)).toMatchObject({
        status: 'acknowledged',
        note: 'Upgrade planned',
        entityTitle: 'Web shop',
        owner: TEAM_B,
        matches: [tar760, { ...tar621, source: 'sbom' }],
        updatedAt: iso(1),
        updatedBy: ALICE,
      });
      expect((await history(id)).map(event => event.to)).toEqual([
        'open',
        'acknowledged',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'resolves a finding nothing matches any more, but not while a source of the entity could not be read, %p',
    async databaseId => {
      const { store, one, history, seedShop } = await open(databaseId);
      const [tar, elliptic] = await seedShop([
        match(TAR, [tar621]),
        match(ELLIPTIC, [elliptic661]),
      ]);
      await store.transitionFinding({
        id: elliptic.id,
        transition: {
          status: 'not-affected',
          justification: 'vulnerable_code_not_in_execute_path',
          note: 'We never verify signatures',
        },
        actor: ALICE,
        now: at(1),
      });

      // The SBOM could not be read: its components are unknown, so nothing
      // it may still hold is resolved.
      const sbomError: ComponentSource = {
        entityRef: SHOP,
        kind: 'sbom',
        location: 'https://ci.example.com/shop/sbom.json',
        status: 'error',
        error: 'The SBOM could not be used: The SBOM is not JSON',
        warnings: [],
        componentCount: 0,
        readAt: iso(2),
      };
      const incomplete = await store.syncEntities({
        results: [result(SHOP, [], { sources: [sbomError], complete: false })],
        now: at(2),
      });
      expect(incomplete).toEqual({ opened: [], resolved: 0 });
      expect(await one(SHOP, TAR)).toEqual(tar);
      expect(await one(SHOP, ELLIPTIC)).toMatchObject({
        status: 'not-affected',
        matches: [elliptic661],
      });
      expect(await store.listSources(SHOP)).toEqual([sbomError]);
      expect(await store.listSourceErrors()).toEqual([sbomError]);

      const complete = await store.syncEntities({
        results: [result(SHOP, [])],
        now: at(3),
      });
      expect(complete).toEqual({ opened: [], resolved: 2 });
      expect(await one(SHOP, TAR)).toEqual({
        ...tar,
        status: 'resolved',
        note: 'No component matches any more',
        matches: [],
        updatedAt: iso(3),
        updatedBy: SYSTEM,
        resolvedAt: iso(3),
      });
      expect(await history(tar.id)).toEqual([
        { at: NOW.toISOString(), actor: SYSTEM, to: 'open' },
        {
          at: iso(3),
          actor: SYSTEM,
          from: 'open',
          to: 'resolved',
          note: 'No component matches any more',
        },
      ]);
      expect(
        (await history(elliptic.id)).map(e => `${e.from}→${e.to}`),
      ).toEqual([
        'undefined→open',
        'open→not-affected',
        'not-affected→resolved',
      ]);
      expect(await store.listSourceErrors()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'reopens a resolved finding that matches again, with a new due date, even one a person resolved, %p',
    async databaseId => {
      const { store, one, history, seedShop } = await open(databaseId);
      const [tar, elliptic] = await seedShop([
        match(TAR, [tar621]),
        match(ELLIPTIC, [elliptic661]),
      ]);
      // A person says the elliptic one is fixed; the components say so
      // for tar.
      await store.transitionFinding({
        id: elliptic.id,
        transition: { status: 'resolved', note: 'Patched in place' },
        actor: ALICE,
        now: at(1),
      });
      await store.syncEntities({
        results: [result(SHOP, [match(ELLIPTIC, [elliptic661])])],
        now: at(2),
      });
      expect(await one(SHOP, TAR)).toMatchObject({ status: 'resolved' });
      // The same reasons as when the person resolved it: it stays resolved.
      expect(await one(SHOP, ELLIPTIC)).toMatchObject({
        status: 'resolved',
        note: 'Patched in place',
        matches: [elliptic661],
      });

      // Then the package goes: the person's decision stands, without
      // reasons.
      await store.syncEntities({ results: [result(SHOP, [])], now: at(5) });
      expect(await one(SHOP, ELLIPTIC)).toMatchObject({
        status: 'resolved',
        note: 'Patched in place',
        updatedBy: ALICE,
        matches: [],
      });

      // The vulnerable versions come back: both open again.
      const reopened = await store.syncEntities({
        results: [
          result(SHOP, [
            match(TAR, [tar621], 40),
            match(ELLIPTIC, [elliptic661], 200),
          ]),
        ],
        now: at(10),
      });
      expect(reopened).toEqual({
        opened: [
          { entityRef: SHOP, advisoryId: TAR, knownExploited: false },
          { entityRef: SHOP, advisoryId: ELLIPTIC, knownExploited: false },
        ],
        resolved: 0,
      });
      expect(await one(SHOP, TAR)).toEqual({
        ...tar,
        status: 'open',
        note: 'Matched again',
        dueAt: iso(40),
        matches: [tar621],
        updatedAt: iso(10),
        updatedBy: SYSTEM,
        // First seen stays the day it was first seen.
        firstSeenAt: NOW.toISOString(),
      });
      expect(await one(SHOP, ELLIPTIC)).toMatchObject({
        status: 'open',
        matches: [elliptic661],
        dueAt: iso(200),
      });
      expect(
        (await history(elliptic.id)).map(e => `${e.from}→${e.to}`),
      ).toEqual(['undefined→open', 'open→resolved', 'resolved→open']);
      expect((await history(tar.id)).map(e => `${e.from}→${e.to}`)).toEqual([
        'undefined→open',
        'open→resolved',
        'resolved→open',
      ]);
      expect((await history(tar.id))[2]).toEqual({
        at: iso(10),
        actor: SYSTEM,
        from: 'resolved',
        to: 'open',
        note: 'Matched again',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'moves the due date of a finding up to the CISA due date once it is known exploited, never later, %p',
    async databaseId => {
      const { store, one } = await open(databaseId);
      // First seen without the KEV entry: due by severity.
      await store.syncEntities({
        results: [
          result(SHOP, [
            {
              ...match(SUPERSET, [supersetProduct]),
              kev: undefined,
              kevDueAt: undefined,
              dueAt: at(90).getTime(),
            },
          ]),
        ],
        now: NOW,
      });
      expect(await one(SHOP, SUPERSET)).toMatchObject({
        dueAt: iso(90),
        overdue: false,
        advisory: { knownExploited: false },
      });

      const opened = await store.syncEntities({
        results: [result(SHOP, [match(SUPERSET, [supersetProduct])])],
        now: at(1),
      });
      expect(opened).toEqual({ opened: [], resolved: 0 });
      const finding = await one(SHOP, SUPERSET, at(1));
      expect(finding).toMatchObject({
        dueAt: '2024-01-29T23:59:59.999Z',
        overdue: true,
        advisory: {
          id: SUPERSET,
          source: 'kev',
          feedId: 'kev',
          severity: 'unknown',
          knownExploited: true,
          kevDueDate: '2024-01-29',
          kevRequiredAction: byId.get(SUPERSET)!.knownExploited!.requiredAction,
        },
      });

      // A later CISA date does not push it back.
      await store.syncEntities({
        results: [
          result(SHOP, [
            {
              ...match(SUPERSET, [supersetProduct]),
              kevDueAt: at(5).getTime(),
            },
          ]),
        ],
        now: at(2),
      });
      expect((await one(SHOP, SUPERSET)).dueAt).toBe(
        '2024-01-29T23:59:59.999Z',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'resolves the findings of entities that no longer declare components and forgets their sources, %p',
    async databaseId => {
      const { store, one, list } = await open(databaseId);
      await store.syncEntities({
        results: [
          result(SHOP, [match(TAR, [tar621])]),
          result(CART, [match(TAR, [tar621]), match(ELLIPTIC, [elliptic661])]),
        ],
        now: NOW,
      });
      const resolved = await store.forgetEntitiesExcept({
        entityRefs: new Set([SHOP]),
        now: at(1),
      });
      expect(resolved).toBe(2);
      expect(await one(CART, TAR)).toMatchObject({
        status: 'resolved',
        note: 'The entity no longer declares components, or left the catalog',
        matches: [],
        resolvedAt: iso(1),
      });
      expect(await store.listSources(CART)).toEqual([]);
      expect(await store.listSources(SHOP)).toEqual([purlSource(SHOP, 1)]);
      expect((await list()).items.map(f => f.entityRef)).toEqual([SHOP]);
      // Nothing left to resolve the second time.
      expect(
        await store.forgetEntitiesExcept({
          entityRefs: new Set([SHOP]),
          now: at(2),
        }),
      ).toBe(0);
    },
  );

  describe('listing', () => {
    /**
     * Shop: tar (high, open, due in 30 days), elliptic (low, acknowledged,
     * overdue), Superset (KEV, open, overdue since 2024). Cart: tar
     * (high, mitigated), sha.js (critical, open, due in 15 days).
     */
    async function seed(databaseId: TestDatabaseId) {
      const opened = await open(databaseId);
      const { store, one } = opened;
      await store.syncEntities({
        results: [
          result(SHOP, [
            match(TAR, [tar621], 30),
            match(ELLIPTIC, [elliptic661], -1),
            match(SUPERSET, [supersetProduct]),
          ]),
          result(CART, [
            match(TAR, [tar621], 30),
            match(SHA, [npm('sha.js', '2.4.11', '<=2.4.11')], 15),
          ]),
        ],
        now: NOW,
      });
      await store.transitionFinding({
        id: (await one(SHOP, ELLIPTIC)).id,
        transition: { status: 'acknowledged' },
        actor: ALICE,
        now: NOW,
      });
      await store.transitionFinding({
        id: (await one(CART, TAR)).id,
        transition: { status: 'mitigated', note: 'Not reachable from outside' },
        actor: ALICE,
        now: NOW,
      });
      return opened;
    }

    /** The counts must be those of the items (all of them on one page). */
    function expectConsistent(page: AdvisoryFindingPage) {
      const items = page.items;
      expect(page.totalCount).toBe(items.length);
      expect(page.counts).toEqual({
        total: items.length,
        overdue: items.filter(f => f.overdue).length,
        knownExploited: items.filter(f => f.advisory.knownExploited).length,
        bySeverity: Object.fromEntries(
          ADVISORY_SEVERITIES.map(severity => [
            severity,
            items.filter(f => f.advisory.severity === severity).length,
          ]),
        ),
      });
    }

    const keys = (items: AdvisoryFinding[]) =>
      items.map(
        f => `${f.entityRef.split('/')[1]} ${f.advisory.id} ${f.status}`,
      );

    it.each(databases.eachSupportedId())(
      'filters by status (active by default), severity, exploitation, due date, owner, entity and advisory, with counts of what it selects, %p',
      async databaseId => {
        const { list } = await seed(databaseId);
        const cases: Array<[Partial<Query>, string[]]> = [
          [
            {},
            [
              // Most severe first, then by due date.
              `cart ${SHA} open`,
              `shop ${TAR} open`,
              `shop ${ELLIPTIC} acknowledged`,
              `shop ${SUPERSET} open`,
            ],
          ],
          [{ status: ['mitigated'] }, [`cart ${TAR} mitigated`]],
          [
            { status: [...ADVISORY_FINDING_STATUSES], severity: ['high'] },
            [`cart ${TAR} mitigated`, `shop ${TAR} open`],
          ],
          [{ knownExploited: true }, [`shop ${SUPERSET} open`]],
          [
            { knownExploited: false },
            [
              `cart ${SHA} open`,
              `shop ${TAR} open`,
              `shop ${ELLIPTIC} acknowledged`,
            ],
          ],
          [
            { overdue: true },
            [`shop ${ELLIPTIC} acknowledged`, `shop ${SUPERSET} open`],
          ],
          // A mitigated finding is never overdue, whatever its due date.
          [
            { overdue: false, status: [...ADVISORY_FINDING_STATUSES] },
            [`cart ${SHA} open`, `cart ${TAR} mitigated`, `shop ${TAR} open`],
          ],
          [{ owner: TEAM_B }, [`cart ${SHA} open`]],
          [
            { entityRef: SHOP, severity: ['high', 'low'] },
            [`shop ${TAR} open`, `shop ${ELLIPTIC} acknowledged`],
          ],
          [
            { advisoryId: TAR, status: ['open', 'mitigated'] },
            [`cart ${TAR} mitigated`, `shop ${TAR} open`],
          ],
        ];
        for (const [query, expected] of cases) {
          const page = await list(query);
          expect({ query, found: keys(page.items) }).toEqual({
            query,
            found: expected,
          });
          expectConsistent(page);
        }

        const counts = (await list()).counts;
        expect(counts).toEqual({
          total: 4,
          overdue: 2,
          knownExploited: 1,
          bySeverity: { critical: 1, high: 1, moderate: 0, low: 1, unknown: 1 },
        });
        // A page counts everything the filters select.
        const paged = await list({ limit: 1, offset: 1 });
        expect(keys(paged.items)).toEqual([`shop ${TAR} open`]);
        expect(paged.totalCount).toBe(4);
        expect(paged.counts).toEqual(counts);

        // Time passes: tar on the shop is overdue on its due date.
        const later = await list({ overdue: true, entityRef: SHOP }, at(30));
        expect(keys(later.items)).toEqual([
          `shop ${TAR} open`,
          `shop ${ELLIPTIC} acknowledged`,
          `shop ${SUPERSET} open`,
        ]);
        expectConsistent(later);
      },
    );
  });

  describe('transitions', () => {
    it.each(databases.eachSupportedId())(
      'moves a finding as a person decides and keeps every change, %p',
      async databaseId => {
        const { store, history, seedShop } = await open(databaseId);
        const [{ id }] = await seedShop([match(TAR, [tar621])]);

        await expect(
          store.transitionFinding({
            id: 'no-such-finding',
            transition: { status: 'acknowledged' },
            actor: ALICE,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);
        await expect(
          store.transitionFinding({
            id,
            transition: { status: 'open' },
            actor: ALICE,
            now: NOW,
          }),
        ).rejects.toThrow(
          new ConflictError(`Advisory finding ${id} is already open`),
        );

        const notAffected = await store.transitionFinding({
          id,
          transition: {
            status: 'not-affected',
            justification: 'vulnerable_code_not_present',
            note: 'We only create archives',
          },
          actor: ALICE,
          now: at(1),
        });
        expect(notAffected).toMatchObject({
          status: 'not-affected',
          justification: 'vulnerable_code_not_present',
          note: 'We only create archives',
          updatedAt: iso(1),
          updatedBy: ALICE,
          overdue: false,
        });
        const resolved = await store.transitionFinding({
          id,
          transition: { status: 'resolved', note: 'Upgraded' },
          actor: 'user:default/bob',
          now: at(2),
        });
        expect(resolved).toMatchObject({
          status: 'resolved',
          note: 'Upgraded',
          resolvedAt: iso(2),
          updatedBy: 'user:default/bob',
        });
        expect(resolved.justification).toBeUndefined();
        const reopened = await store.transitionFinding({
          id,
          transition: { status: 'open', note: 'The upgrade was rolled back' },
          actor: ALICE,
          now: at(3),
        });
        expect(reopened.resolvedAt).toBeUndefined();

        expect(await history(id)).toEqual([
          { at: NOW.toISOString(), actor: SYSTEM, to: 'open' },
          {
            at: iso(1),
            actor: ALICE,
            from: 'open',
            to: 'not-affected',
            justification: 'vulnerable_code_not_present',
            note: 'We only create archives',
          },
          {
            at: iso(2),
            actor: 'user:default/bob',
            from: 'not-affected',
            to: 'resolved',
            note: 'Upgraded',
          },
          {
            at: iso(3),
            actor: ALICE,
            from: 'resolved',
            to: 'open',
            note: 'The upgrade was rolled back',
          },
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'lets one of two simultaneous identical transitions win and answers the other 409, %p',
      async databaseId => {
        const { store, history, seedShop } = await open(databaseId);
        const [{ id }] = await seedShop([match(TAR, [tar621])]);
        const outcomes = await Promise.allSettled(
          ['alice', 'bob', 'carol'].map(name =>
            store.transitionFinding({
              id,
              transition: { status: 'acknowledged', note: `Seen by ${name}` },
              actor: `user:default/${name}`,
              now: at(1),
            }),
          ),
        );
        const won = outcomes.filter(o => o.status === 'fulfilled');
        const lost = outcomes.filter(
          (o): o is PromiseRejectedResult => o.status === 'rejected',
        );
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(2);
        for (const outcome of lost) {
          expect(outcome.reason).toBeInstanceOf(ConflictError);
        }
        const events = await history(id);
        expect(events.map(e => e.to)).toEqual(['open', 'acknowledged']);
        expect(
          (won[0] as PromiseFulfilledResult<AdvisoryFinding>).value.updatedBy,
        ).toBe(events[1].actor);
      },
    );
  });

  it.each(databases.eachSupportedId())(
    'opens a finding once when the same entity is matched twice at the same time, %p',
    async databaseId => {
      const { store, list, knex } = await open(databaseId);
      const results = [
        result(SHOP, [
          match(TAR, [tar621]),
          match(ELLIPTIC, [elliptic661]),
          match(SHA, [npm('sha.js', '2.4.11', '<=2.4.11')]),
        ]),
      ];
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () =>
          store.syncEntities({ results, now: NOW }),
        ),
      );
      expect(outcomes.flatMap(o => o.opened)).toHaveLength(3);
      const page = await list();
      expect(page.totalCount).toBe(3);
      const events = await eventCount(knex);
      expect(events).toBe(3);
      expect(await store.listSources(SHOP)).toEqual([purlSource(SHOP, 3)]);
    },
  );
});

async function eventCount(knex: Knex) {
  const [row] = await knex('advisory_finding_events').count({ count: '*' });
  return Number(row.count);
}
