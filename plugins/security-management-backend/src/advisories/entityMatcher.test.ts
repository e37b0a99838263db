import { mockServices } from '@backstage/backend-test-utils';
import {
  EntityMatcher,
  inProcessMatcher,
  MatchIndex,
  MatchPool,
} from './entityMatcher';
import { AdvisoryIndex, ParsedAdvisory } from './matching';
import { FetchedSources } from './readComponents';

function osv(id: string, name: string, fixed: string): ParsedAdvisory {
  return {
    id,
    source: 'osv',
    summary: id,
    severity: 'high',
    aliases: [],
    references: [],
    affected: [
      {
        ecosystem: 'npm',
        name,
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] },
        ],
        versions: [],
      },
    ],
  };
}

const KEV: ParsedAdvisory = {
  id: 'CVE-2021-44228',
  source: 'kev',
  summary: 'Apache Log4j2',
  severity: 'unknown',
  aliases: [],
  references: [],
  affected: [],
  knownExploited: {
    vendorProject: 'Apache',
    product: 'Log4j2',
    dateAdded: '2021-12-10',
    dueDate: '2021-12-24',
    requiredAction: 'Apply updates per vendor instructions.',
    knownRansomwareCampaignUse: 'Known',
  },
};

function loaded(version: string, advisories: ParsedAdvisory[]): MatchIndex {
  return { version, advisories, index: new AdvisoryIndex(advisories) };
}

const V1 = loaded('v1', [
  osv('GHSA-tar', 'tar', '6.2.2'),
  osv('GHSA-lodash', 'lodash', '4.17.21'),
  KEV,
]);
const V2 = loaded('v2', [osv('GHSA-minimist', 'minimist', '1.2.6')]);

const sbom = Buffer.from(
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    components: [
      {
        type: 'library',
        name: 'tar',
        version: '6.2.1',
        purl: 'pkg:npm/tar@6.2.1',
      },
      {
        type: 'library',
        name: 'minimist',
        version: '1.2.5',
        purl: 'pkg:npm/minimist@1.2.5',
      },
      { type: 'library', name: 'left-pad' },
    ],
  }),
);

function fetched(
  name: string,
  sources: Partial<FetchedSources>,
): FetchedSources {
  return {
    entityRef: `component:default/${name}`,
    readAt: '2026-06-01T00:00:00.000Z',
    fingerprint: name,
    ...sources,
  };
}

/** Every way an entity's sources can go: read, unreadable, partly bad. */
const ENTITIES: FetchedSources[] = [
  fetched('shop', {
    sbom: { location: 'https://ci.example.com/shop.json', content: sbom },
    purls: 'pkg:npm/lodash@4.17.20, pkg:npm/tar@6.2.1',
    products: 'Apache:Log4j2',
  }),
  fetched('unreadable', {
    sbom: { location: 'https://ci.example.com/gone.json', error: 'NotFound' },
  }),
  fetched('not-json', {
    sbom: { location: 'file:///x.json', content: Buffer.from('{"bomFormat"') },
    purls: 'pkg:npm/lodash@4.17.20, not a purl',
    products: 'Apache',
  }),
  fetched('not-cyclonedx', {
    sbom: {
      location: 'file:///y.json',
      content: Buffer.from('{"bomFormat":"SPDX"}'),
    },
  }),
];

async function matchAll(matcher: EntityMatcher, index: MatchIndex) {
  return Promise.all(ENTITIES.map(entity => matcher.match(index, entity)));
}

// backstage-cli's Node transform, so that a worker thread started from
// jest can load the TypeScript sources as `yarn start` and `yarn bench` do.
const NODE_TRANSFORM = [
  '--require',
  require.resolve('@backstage/cli/config/nodeTransform.cjs'),
];

describe('MatchPool', () => {
  let pool: MatchPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  // Two workers each load the TypeScript sources and compile the
  // CycloneDX schema: seconds on a busy machine.
  it('matches on worker threads exactly as on this thread, per index version', async () => {
    const logger = mockServices.logger.mock();
    pool = new MatchPool({ logger, size: 2, execArgv: NODE_TRANSFORM });

    const expected = await matchAll(inProcessMatcher, V1);
    expect(expected[0].reasons.map(r => r.advisoryId)).toEqual([
      'CVE-2021-44228',
      'GHSA-lodash',
      'GHSA-tar',
      'GHSA-tar',
    ]);
    expect(expected[1].sources[0].error).toBe(
      'The SBOM could not be used: NotFound',
    );
    expect(expected[2].sources.map(source => source.status)).toEqual([
      'error',
      'error',
      'error',
    ]);
    expect(await matchAll(pool, V1)).toEqual(expected);
    expect(pool.usingWorkers).toBe(true);

    // The feeds changed: the workers match against the new advisories.
    const changed = await matchAll(pool, V2);
    expect(changed).toEqual(await matchAll(inProcessMatcher, V2));
    expect(changed[0].reasons.map(r => r.advisoryId)).toEqual([
      'GHSA-minimist',
    ]);
    expect(pool.usingWorkers).toBe(true);
    expect(logger.warn).not.toHaveBeenCalled();
  }, 30_000);

  it('matches on this thread when a worker fails to start', async () => {
    const logger = mockServices.logger.mock();
    pool = new MatchPool({
      logger,
      size: 1,
      execArgv: ['--require', '/nonexistent/transform.cjs'],
    });

    expect(await matchAll(pool, V1)).toEqual(
      await matchAll(inProcessMatcher, V1),
    );
    expect(pool.usingWorkers).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Advisory matching continues without worker threads',
      ),
    );
    expect(await matchAll(pool, V2)).toEqual(
      await matchAll(inProcessMatcher, V2),
    );
  });

  it('does not start workers that could not read the TypeScript sources', async () => {
    const logger = mockServices.logger.mock();
    pool = new MatchPool({ logger, size: 1, execArgv: [] });
    expect(pool.usingWorkers).toBe(false);
    expect(await matchAll(pool, V1)).toEqual(
      await matchAll(inProcessMatcher, V1),
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('finishes what was asked when closed', async () => {
    pool = new MatchPool({
      logger: mockServices.logger.mock(),
      size: 1,
      execArgv: NODE_TRANSFORM,
    });
    const pending = matchAll(pool, V1);
    await pool.close();
    expect(await pending).toEqual(await matchAll(inProcessMatcher, V1));
    expect(pool.usingWorkers).toBe(false);
  });
});
