import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { advisoryFixtureFiles } from '../__testUtils__/memoryUrlReader';
import { AdvisoryFeedStore } from './AdvisoryFeedStore';
import { parseKevCatalog, parseOsvFeed, ParsedAdvisory } from './matching';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const LATER = new Date('2026-06-01T06:00:00.000Z');
const FEEDS = [
  {
    id: 'github',
    type: 'osv' as const,
    target: 'https://feeds.example.com/osv/',
  },
  {
    id: 'kev',
    type: 'kev' as const,
    target: 'https://feeds.example.com/kev.json',
  },
];

const files = advisoryFixtureFiles();
const osv = parseOsvFeed(files.osv).advisories;
const kev = parseKevCatalog(files.kev).advisories;

describe('AdvisoryFeedStore', () => {
  const databases = createTestDatabases();

  async function open(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await AdvisoryFeedStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await store.configureFeeds(FEEDS);
    return { knex, store };
  }

  async function loadSorted(store: AdvisoryFeedStore) {
    return (await store.loadAdvisories()).sort((a, b) =>
      a.advisory.id < b.advisory.id ? -1 : 1,
    );
  }

  async function storedIds(store: AdvisoryFeedStore, feedId: string) {
    return (await loadSorted(store))
      .filter(entry => entry.feedId === feedId)
      .map(entry => entry.advisory.id)
      .sort();
  }

  it.each(databases.eachSupportedId())(
    'starts every configured feed as never read, and drops a feed no longer configured with its advisories, %p',
    async databaseId => {
      const { store } = await open(databaseId);
      expect(await store.listFeeds()).toEqual([
        {
          id: 'github',
          type: 'osv',
          target: FEEDS[0].target,
          status: 'never-read',
          warnings: [],
          advisoryCount: 0,
        },
        {
          id: 'kev',
          type: 'kev',
          target: FEEDS[1].target,
          status: 'never-read',
          warnings: [],
          advisoryCount: 0,
        },
      ]);
      await store.replaceFeed({
        feedId: 'kev',
        advisories: kev,
        warnings: [],
        now: NOW,
      });
      await store.configureFeeds([
        { ...FEEDS[0], target: 'https://feeds.example.com/osv-npm/' },
      ]);
      expect(await store.listFeeds()).toEqual([
        expect.objectContaining({
          id: 'github',
          target: 'https://feeds.example.com/osv-npm/',
        }),
      ]);
      expect(await store.loadAdvisories()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'replaces a feed whole and reads its advisories back as parsed, %p',
    async databaseId => {
      const { store } = await open(databaseId);
      const feed = await store.replaceFeed({
        feedId: 'github',
        advisories: osv,
        warnings: [
          '1 record names ecosystems this feed cannot match: PyPI (1)',
        ],
        now: NOW,
      });
      // The withdrawn advisory is kept (the index leaves it out): 41.
      expect(feed).toEqual({
        id: 'github',
        type: 'osv',
        target: FEEDS[0].target,
        status: 'ok',
        lastAttemptAt: NOW.toISOString(),
        lastSuccessAt: NOW.toISOString(),
        warnings: [
          '1 record names ecosystems this feed cannot match: PyPI (1)',
        ],
        advisoryCount: 41,
      });
      const loaded = await store.loadAdvisories();
      expect(loaded).toHaveLength(41);
      const byId = new Map(loaded.map(entry => [entry.advisory.id, entry]));
      for (const advisory of osv) {
        expect(byId.get(advisory.id)).toEqual({ advisory, feedId: 'github' });
      }
      expect(byId.get('GHSA-qmq6-f8pr-cx5x')!.advisory.withdrawnAt).toBe(
        '2026-05-05T12:59:17.000Z',
      );

      // The next read keeps only what the feed holds now.
      const versionBefore = await store.version();
      const kept = osv.filter(
        advisory => advisory.id !== 'GHSA-34x7-hfp2-rc4v',
      );
      const again = await store.replaceFeed({
        feedId: 'github',
        advisories: kept,
        warnings: [],
        now: LATER,
      });
      expect(again).toMatchObject({ advisoryCount: 40, warnings: [] });
      expect(await storedIds(store, 'github')).toEqual(
        kept.map(advisory => advisory.id).sort(),
      );
      expect(await store.version()).not.toBe(versionBefore);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the previous advisories whole when a replacement fails half way, %p',
    async databaseId => {
      const { store } = await open(databaseId);
      await store.replaceFeed({
        feedId: 'kev',
        advisories: kev,
        warnings: [],
        now: NOW,
      });
      const before = await loadSorted(store);
      const version = await store.version();
      expect(before).toHaveLength(1404);

      // The last of 1404 rows breaks a NOT NULL column: several insert
      // statements have run when it fails.
      const broken = [
        ...kev.slice(0, -1).map(advisory => ({
          ...advisory,
          summary: `changed ${advisory.summary}`,
        })),
        { ...kev[kev.length - 1], summary: null as unknown as string },
      ];
      // Whatever the driver rejects with (better-sqlite3's error class may
      // come from another test file's module registry), it must reject.
      const outcome = await store
        .replaceFeed({
          feedId: 'kev',
          advisories: broken,
          warnings: [],
          now: LATER,
        })
        .then(
          () => 'written',
          (reason: unknown) => `refused: ${String(reason)}`,
        );
      expect(outcome).toMatch(/^refused: .*summary/);
      expect(await loadSorted(store)).toEqual(before);
      expect(await store.version()).toBe(version);

      const failed = await store.recordFeedFailure({
        feedId: 'kev',
        error:
          'The KEV catalog is not valid JSON: Unexpected end of JSON input',
        now: LATER,
      });
      expect(failed).toEqual({
        id: 'kev',
        type: 'kev',
        target: FEEDS[1].target,
        status: 'error',
        lastAttemptAt: LATER.toISOString(),
        lastSuccessAt: NOW.toISOString(),
        error:
          'The KEV catalog is not valid JSON: Unexpected end of JSON input',
        warnings: [],
        advisoryCount: 1404,
      });
      // A failure does not change what the index is built from.
      expect(await store.version()).toBe(version);
      expect(await loadSorted(store)).toEqual(before);

      const recovered = await store.replaceFeed({
        feedId: 'kev',
        advisories: kev,
        warnings: [],
        now: LATER,
      });
      expect(recovered).toMatchObject({ status: 'ok', advisoryCount: 1404 });
      expect(recovered.error).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'gives the same result when a feed is read twice at the same time (the schedule and a manual refresh), %p',
    async databaseId => {
      const { store } = await open(databaseId);
      await store.replaceFeed({
        feedId: 'kev',
        advisories: kev.slice(0, 100),
        warnings: [],
        now: NOW,
      });
      const outcomes = await Promise.all(
        [NOW, LATER].map(now =>
          store.replaceFeed({
            feedId: 'kev',
            advisories: kev,
            warnings: [],
            now,
          }),
        ),
      );
      for (const feed of outcomes) {
        expect(feed).toMatchObject({
          status: 'ok',
          advisoryCount: 1404,
          warnings: [],
        });
      }
      expect(await store.listFeeds()).toContainEqual(
        expect.objectContaining({
          id: 'kev',
          advisoryCount: 1404,
          warnings: [],
        }),
      );
      expect(await storedIds(store, 'kev')).toHaveLength(1404);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps each advisory once when two feeds holding it are read at the same time, %p',
    async databaseId => {
      const { store } = await open(databaseId);
      const mirror = {
        id: 'mirror',
        type: 'osv' as const,
        target: 'https://mirror.example.com/osv/',
      };
      await store.configureFeeds([...FEEDS, mirror]);
      const feeds = await Promise.all(
        ['github', 'mirror'].map(feedId =>
          store.replaceFeed({
            feedId,
            advisories: osv,
            warnings: [],
            now: NOW,
          }),
        ),
      );
      for (const feed of feeds) expect(feed.status).toBe('ok');
      const held = await store.loadAdvisories();
      expect(held).toHaveLength(41);
      expect(feeds[0].advisoryCount + feeds[1].advisoryCount).toBe(41);
      for (const feed of feeds) {
        expect(feed.advisoryCount).toBe(
          held.filter(entry => entry.feedId === feed.id).length,
        );
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves an advisory id another feed holds with that feed, and says so, %p',
    async databaseId => {
      const { store } = await open(databaseId);
      await store.configureFeeds([
        ...FEEDS,
        {
          id: 'mirror',
          type: 'osv',
          target: 'https://mirror.example.com/osv/',
        },
      ]);
      const tar = osv.find(a => a.id === 'GHSA-34x7-hfp2-rc4v')!;
      const elliptic = osv.find(a => a.id === 'GHSA-848j-6mx2-7j84')!;
      await store.replaceFeed({
        feedId: 'github',
        advisories: [tar],
        warnings: [],
        now: NOW,
      });
      const changedTar: ParsedAdvisory = { ...tar, summary: 'Mirror copy' };
      const mirror = await store.replaceFeed({
        feedId: 'mirror',
        advisories: [changedTar, elliptic],
        warnings: [],
        now: NOW,
      });
      expect(mirror.advisoryCount).toBe(1);
      expect(mirror.warnings).toEqual([
        '1 advisory is already provided by another feed and was left with it: GHSA-34x7-hfp2-rc4v',
      ]);
      const loaded = await store.loadAdvisories();
      expect(
        loaded.map(e => [e.advisory.id, e.feedId, e.advisory.summary]).sort(),
      ).toEqual([
        ['GHSA-34x7-hfp2-rc4v', 'github', tar.summary],
        ['GHSA-848j-6mx2-7j84', 'mirror', elliptic.summary],
      ]);

      // Reading the mirror again does not take the id from its owner either.
      await store.replaceFeed({
        feedId: 'mirror',
        advisories: [changedTar],
        warnings: [],
        now: LATER,
      });
      expect(await storedIds(store, 'github')).toEqual(['GHSA-34x7-hfp2-rc4v']);
      expect(await storedIds(store, 'mirror')).toEqual([]);

      // Once its owner drops it, the other feed's next read brings it.
      await store.replaceFeed({
        feedId: 'github',
        advisories: [elliptic],
        warnings: [],
        now: LATER,
      });
      await store.replaceFeed({
        feedId: 'mirror',
        advisories: [changedTar],
        warnings: [],
        now: LATER,
      });
      expect(await storedIds(store, 'mirror')).toEqual(['GHSA-34x7-hfp2-rc4v']);
    },
  );
});
