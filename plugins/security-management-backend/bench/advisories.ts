/*
 * The advisories benchmark (issue 9), through the real code path:
 *
 * 1. the whole CISA KEV catalog (the fixture) and synthetic OSV advisories
 *    ingested as feeds and matched against the CycloneDX SBOMs of catalog
 *    entities, by AdvisoryService.refreshAll with the real stores; then the
 *    same cycle again with nothing changed, as the schedule runs it;
 * 2. one entity's SBOM changing (a matched package upgraded, a vulnerable
 *    one added, then back), brought up to date by refreshEntity;
 * 3. GET /advisories/entity of entities with findings over HTTP, against
 *    the no-op route, on the database the first step filled.
 *
 *   yarn bench --only advisories --db sqlite,pg
 *
 * Options (or env): --advisory-entities (BENCH_ADVISORY_ENTITIES, 10000),
 * --components (BENCH_COMPONENTS, per SBOM, 1000), --osv-advisories
 * (BENCH_OSV_ADVISORIES, 10000), --entity-refreshes
 * (BENCH_ENTITY_REFRESHES, 20). BENCH_MATCH_WORKERS: the match worker
 * threads (by default cores - 1; 0 matches on the main thread).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_ADVISORY_DUE_BY_SEVERITY } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AdvisoryFeedStore } from '../src/advisories/AdvisoryFeedStore';
import {
  AdvisoryFindingStore,
  EntityMatchResult,
} from '../src/advisories/AdvisoryFindingStore';
import { AdvisoryService } from '../src/advisories/AdvisoryService';
import { MatchPool } from '../src/advisories/entityMatcher';
import {
  BenchReader,
  benchEntityRef,
  catalogEntities,
  osvFeed,
  packageName,
  SbomComponent,
  sbomComponents,
  SyntheticAffected,
  versionsOf,
} from './advisoryData';
import {
  CycleResult,
  DbResult,
  HTTP_ROUNDS,
  median,
  medianLoad,
  report,
} from './advisoryReport';
import { LoadResult, percentile } from './load';
import { BenchBackend, startBenchBackend } from './backend';

type DbId = 'sqlite' | 'pg';

/** What run.ts lends: its options, its databases and its load generator. */
export interface AdvisoryBenchDeps {
  dbs: DbId[];
  duration: number;
  connections: number;
  openDatabase(
    db: DbId,
    size: number,
  ): Promise<{ knex: Knex; label: string; dispose(): Promise<void> }>;
  load(options: {
    url: string;
    connections: number;
    duration?: number;
    headers: Record<string, string>;
    paths: string[];
  }): Promise<LoadResult>;
}

const KEV_FILE = join(
  __dirname,
  '../src/advisories/__fixtures__/kev/known_exploited_vulnerabilities.json',
);
const KEV_URL =
  'https://feeds.bench.invalid/kev/known_exploited_vulnerabilities.json';
const OSV_URL = 'https://feeds.bench.invalid/osv/npm.json';

function option(name: string, env: string, fallback: number): number {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  const raw =
    index >= 0 && args[index + 1] !== undefined
      ? args[index + 1]
      : process.env[env];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} takes a positive whole number, not '${raw}'`);
  }
  return value;
}

/** Wall-clock marks of refreshAll's phases, taken by wrapping its collaborators. */
interface Phases {
  start: number;
  feedsDone?: number;
  catalogStart?: number;
  catalogDone?: number;
  writeStart?: number;
  /** Milliseconds inside syncEntities (one batch written at a time). */
  writing: number;
  forgetStart?: number;
  end?: number;
}

function wrap<T extends object>(
  target: T,
  key: keyof T & string,
  hooks: { before?: (args: unknown[]) => void; after?: () => void },
): void {
  const holder = target as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const original = holder[key].bind(target);
  holder[key] = async (...args: unknown[]) => {
    hooks.before?.(args);
    try {
      return await original(...args);
    } finally {
      hooks.after?.();
    }
  };
}

async function benchDb(
  db: DbId,
  deps: AdvisoryBenchDeps,
  sizes: {
    entities: number;
    components: number;
    advisories: number;
    refreshes: number;
  },
): Promise<DbResult> {
  const log = (message: string) =>
    process.stderr.write(`[advisories ${db}] ${message}\n`);
  const kev = readFileSync(KEV_FILE);
  const kevCves: string[] = JSON.parse(
    kev.toString('utf8'),
  ).vulnerabilities.map((entry: { cveID: string }) => entry.cveID);
  const feed = osvFeed(sizes.advisories, kevCves);
  const reader = new BenchReader(
    new Map([
      [KEV_URL, kev],
      [OSV_URL, Buffer.from(feed.json)],
    ]),
    sizes.components,
  );
  // Generated before the timed cycles: making synthetic SBOM text is not
  // reading one (about 1 ms each; 3.4 GB at 10,000 × 1,000 components).
  log(
    `${sizes.entities} SBOMs generated in ${reader
      .prepare(sizes.entities)
      .toFixed(1)} s`,
  );
  const entities = catalogEntities(sizes.entities);
  const catalog = catalogServiceMock({ entities });
  const database = await deps.openDatabase(db, sizes.entities);
  let backend: BenchBackend | undefined;
  let matcher: MatchPool | undefined;
  try {
    const { knex } = database;
    const databaseService = mockServices.database({ knex });
    const feeds = await AdvisoryFeedStore.create({ database: databaseService });
    const findings = await AdvisoryFindingStore.create({
      database: databaseService,
    });
    const logger = mockServices.rootLogger({ level: 'warn' });
    // As the plugin runs it: SBOMs parsed and matched on worker threads.
    const workers = process.env.BENCH_MATCH_WORKERS;
    matcher = new MatchPool({
      logger,
      size: workers === undefined ? undefined : Number(workers),
    });
    const service = new AdvisoryService({
      feeds,
      findings,
      reader,
      catalog,
      auth: mockServices.auth(),
      logger,
      matcher,
      settings: {
        feeds: [
          { id: 'cisa-kev', type: 'kev', target: KEV_URL },
          { id: 'osv-npm', type: 'osv', target: OSV_URL },
        ],
        frequency: { hours: 6 },
        timeout: { minutes: 30 },
        dueBySeverity: { ...DEFAULT_ADVISORY_DUE_BY_SEVERITY },
        alertLifecycles: [],
      },
    });

    let phases: Phases = { start: 0, writing: 0 };
    let syncStart = 0;
    let matchedComponents = 0;
    let findingCount = 0;
    wrap(feeds, 'version', {
      before: () => (phases.feedsDone ??= performance.now()),
    });
    wrap(catalog, 'queryEntities', {
      before: () => (phases.catalogStart ??= performance.now()),
      after: () => (phases.catalogDone = performance.now()),
    });
    wrap(findings, 'forgetEntitiesExcept', {
      before: () => (phases.forgetStart = performance.now()),
    });
    wrap(findings, 'syncEntities', {
      after: () => (phases.writing += performance.now() - syncStart),
      before: args => {
        syncStart = performance.now();
        phases.writeStart ??= syncStart;
        for (const result of (args[0] as { results: EntityMatchResult[] })
          .results) {
          const purls = new Set<string>();
          for (const match of result.current) {
            findingCount += 1;
            for (const reason of match.matches)
              purls.add(reason.purl ?? reason.package);
          }
          matchedComponents += purls.size;
        }
      },
    });

    const cycle = async (name: string): Promise<CycleResult> => {
      phases = { start: performance.now(), writing: 0 };
      matchedComponents = 0;
      findingCount = 0;
      const cpuStart = process.cpuUsage();
      const readingBefore = reader.readingMs;
      const result = await service.refreshAll(new Date());
      phases.end = performance.now();
      const cpu = process.cpuUsage(cpuStart);
      const p = phases as Required<Phases>;
      const out: CycleResult = {
        seconds: (p.end - p.start) / 1000,
        cpu: (cpu.user + cpu.system) / 1e6,
        feeds: (p.feedsDone - p.start) / 1000,
        index: (p.catalogStart - p.feedsDone) / 1000,
        catalog: (p.catalogDone - p.catalogStart) / 1000,
        readMatch: (p.writeStart - p.catalogDone) / 1000,
        reading: (reader.readingMs - readingBefore) / 1000,
        write: (p.end - p.writeStart) / 1000,
        writing: p.writing / 1000,
        forget: (p.end - p.forgetStart) / 1000,
        result,
        matchedComponents,
        findings: findingCount,
        heapMb: process.memoryUsage().heapUsed / 2 ** 20,
      };
      log(
        `${name}: ${out.seconds.toFixed(1)} s (feeds ${out.feeds.toFixed(
          1,
        )}, index ${out.index.toFixed(1)}, catalog ${out.catalog.toFixed(
          1,
        )}, read+match ${out.readMatch.toFixed(1)}, write ${out.write.toFixed(
          1,
        )} (in syncEntities ${out.writing.toFixed(1)})); ${JSON.stringify({
          ...result,
          feeds: result.feeds.map(
            f => `${f.id}:${f.status}:${f.advisoryCount}`,
          ),
        })}`,
      );
      return out;
    };

    const first = await cycle('refreshAll, first');
    if (first.result.feeds.some(f => f.status !== 'ok')) {
      throw new Error(`a feed failed: ${JSON.stringify(first.result.feeds)}`);
    }
    if (db === 'pg') await knex.raw('ANALYZE');
    const again = await cycle('refreshAll, nothing changed');

    const entityRefresh = await timeEntityRefresh({
      service,
      reader,
      affected: feed.affected,
      components: sizes.components,
      runs: sizes.refreshes,
      log,
    });

    // Entities with active findings, for the HTTP and store figures.
    const withFindings = (await knex('advisory_findings')
      .distinct('entity_ref')
      .whereIn('status', ['open', 'acknowledged'])
      .orderBy('entity_ref')
      .limit(2000)) as Array<{ entity_ref: string }>;
    const refs = withFindings.map(row => row.entity_ref);
    if (!refs.length) throw new Error('no entity has a finding');
    const pick = (i: number) => refs[(i * 7919) % refs.length];

    const storeSamples: number[] = [];
    let findingsSeen = 0;
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      const answer = await service.getEntityAdvisories({
        entityRef: pick(i),
        all: false,
        now: new Date(),
      });
      storeSamples.push(performance.now() - start);
      findingsSeen += answer.findings.length;
    }
    storeSamples.sort((a, b) => a - b);

    backend = await startBenchBackend({ knex });
    const base = backend.base;
    const api = '/api/security-management';
    const headers = { authorization: backend.authorization };
    const entityPath = (ref: string) =>
      `${api}/advisories/entity?entityRef=${encodeURIComponent(ref)}`;
    // Warm up each route, check it answers 200, and weigh its answer.
    const [noopBytes, responseBytes] = await Promise.all(
      [`${api}/openapi.json`, entityPath(pick(0))].map(async path => {
        const response = await fetch(`${base}${path}`, { headers });
        const body = await response.text();
        if (!response.ok) {
          throw new Error(`GET ${path}: ${response.status} ${body}`);
        }
        return Buffer.byteLength(body);
      }),
    );
    const common = {
      url: base,
      connections: deps.connections,
      duration: deps.duration,
      headers,
    };
    // One request at a time, alternating: each route's own cost, without
    // queueing behind other requests.
    const single = { noop: [] as number[], advisories: [] as number[] };
    for (let i = 0; i < 400; i++) {
      const noopTurn = i % 2 === 0;
      const start = performance.now();
      const response = await fetch(
        `${base}${noopTurn ? `${api}/openapi.json` : entityPath(pick(i))}`,
        { headers },
      );
      await response.arrayBuffer();
      (noopTurn ? single.noop : single.advisories).push(
        performance.now() - start,
      );
    }

    // Alternate rounds of the two, so that load from outside the benchmark
    // (a busy machine) falls on both alike; the medians are reported.
    const noops: LoadResult[] = [];
    const entityLoads: LoadResult[] = [];
    for (let round = 1; round <= HTTP_ROUNDS; round++) {
      noops.push(
        await deps.load({ ...common, paths: [`${api}/openapi.json`] }),
      );
      entityLoads.push(
        await deps.load({
          ...common,
          paths: Array.from({ length: 5000 }, (_, i) => entityPath(pick(i))),
        }),
      );
      log(
        `http round ${round}: p50 / p99 no-op ${noops.at(-1)!.p50} / ${
          noops.at(-1)!.p99
        } ms, entity advisories ${entityLoads.at(-1)!.p50} / ${
          entityLoads.at(-1)!.p99
        } ms`,
      );
    }
    // Let the requests autocannon left in flight finish before the backend
    // and the database close under them.
    await (await fetch(`${base}${entityPath(pick(0))}`, { headers })).text();
    await new Promise(resolve => setTimeout(resolve, 1000));
    const noop = medianLoad(noops);
    const advisoriesHttp = medianLoad(entityLoads);
    const p99Ratios = entityLoads.map((load, i) => load.p99 / noops[i].p99);

    return {
      label: database.label,
      entities: sizes.entities,
      components: sizes.components,
      advisories: first.result.feeds.reduce((n, f) => n + f.advisoryCount, 0),
      first,
      again,
      entityRefresh,
      noop,
      advisoriesHttp,
      p99Ratios,
      single: {
        noop: median(single.noop),
        advisories: median(single.advisories),
      },
      store: {
        p50: percentile(storeSamples, 50),
        p99: percentile(storeSamples, 99),
      },
      findingsPerEntity: findingsSeen / storeSamples.length,
      responseKb: responseBytes / 1024,
      noopKb: noopBytes / 1024,
    };
  } finally {
    await matcher?.close();
    await backend?.stop();
    await database.dispose();
  }
}

/**
 * Changes one entity's SBOM (its first matched package upgraded to the
 * latest version, a package of an advisory it did not have added at an
 * affected version), then changes it back, `runs` times, timing
 * refreshEntity and checking after each that the findings are current.
 */
async function timeEntityRefresh(options: {
  service: AdvisoryService;
  reader: BenchReader;
  affected: Map<string, SyntheticAffected[]>;
  components: number;
  runs: number;
  log: (message: string) => void;
}): Promise<{ p50: number; max: number; runs: number }> {
  const { service, reader, affected } = options;
  const active = async (entityRef: string) =>
    (
      await service.getEntityAdvisories({
        entityRef,
        all: false,
        now: new Date(),
      })
    ).findings;

  let entity = 0;
  let before = await active(benchEntityRef(entity));
  while (!before.length) before = await active(benchEntityRef(++entity));
  const entityRef = benchEntityRef(entity);
  const original = sbomComponents(entity, options.components);
  const upgraded = before[0].matches[0].package;
  const names = new Set(original.map(c => c.name));
  const [addedId, addedPackage] = [...affected].find(
    ([, list]) => list.length === 1 && !names.has(packageName(list[0].pool)),
  )!;
  const pool = addedPackage[0].pool;
  const edited: SbomComponent[] = [
    ...original.map(c =>
      c.name === upgraded
        ? { name: c.name, version: versionsOf(poolOf(c.name)).at(-1)! }
        : c,
    ),
    {
      name: packageName(pool),
      version: versionsOf(pool)[addedPackage[0].fixedAt - 1],
    },
  ];

  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const edit = i % 2 === 0;
    if (edit) reader.edits.set(entity, edited);
    else reader.edits.delete(entity);
    const start = performance.now();
    await service.refreshEntity(entityRef, new Date());
    samples.push(performance.now() - start);
    const now = await active(entityRef);
    const hasAdded = now.some(f => f.advisory.id === addedId);
    const hasUpgraded = now.some(f =>
      f.matches.some(m => m.package === upgraded),
    );
    if (hasAdded !== edit || hasUpgraded === edit) {
      throw new Error(
        `after refreshEntity (${
          edit ? 'edited' : 'original'
        } SBOM) the findings of ${entityRef} are not current: ` +
          `${addedId} ${hasAdded ? 'active' : 'not active'}, ${upgraded} ${
            hasUpgraded ? 'matched' : 'not matched'
          }`,
      );
    }
  }
  samples.sort((a, b) => a - b);
  options.log(
    `refreshEntity ${entityRef} (${upgraded} upgraded, ${addedId} added): median ${percentile(
      samples,
      50,
    ).toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`,
  );
  return {
    p50: percentile(samples, 50),
    max: samples[samples.length - 1],
    runs: samples.length,
  };
}

function poolOf(name: string): number {
  return Number(/pkg-(\d+)$/.exec(name)![1]);
}

/** Runs the advisories benchmark on each database in turn and prints the tables. */
export async function benchAdvisories(deps: AdvisoryBenchDeps): Promise<void> {
  const sizes = {
    entities: option('advisory-entities', 'BENCH_ADVISORY_ENTITIES', 10_000),
    components: option('components', 'BENCH_COMPONENTS', 1000),
    advisories: option('osv-advisories', 'BENCH_OSV_ADVISORIES', 10_000),
    refreshes: option('entity-refreshes', 'BENCH_ENTITY_REFRESHES', 20),
  };
  const results: DbResult[] = [];
  for (const db of deps.dbs) results.push(await benchDb(db, deps, sizes));
  process.stdout.write(`${report(results, deps)}\n`);
}
