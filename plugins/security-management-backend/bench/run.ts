/*
 * Benchmark of the Security Management backend: posture reads, the roll-up
 * and test-record ingest, over HTTP and straight through the store, on SQLite
 * and PostgreSQL. Not part of the test suite; run with `yarn bench`.
 *
 *   yarn bench --sizes 1000,10000 --duration 5 --db sqlite,pg
 *
 * Options (or env BENCH_SIZES, BENCH_DURATION, BENCH_DB, BENCH_CONNECTIONS,
 * BENCH_RECORDS_PER_PAIR, BENCH_DB_ITERATIONS, BENCH_PG_URL).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import securityManagementPlugin from '../src';
import { createSecurityStores } from '../src/database';
import { benchAdvisories } from './advisories';
import { benchCampaigns } from './campaigns';
import { benchCorrelation } from './correlation';
import { benchHistory } from './history';
import { benchReviewTriggers } from './reviewTriggers';
import { benchNotifications } from './notifications';
import {
  APPLICABLE_PER_ENTITY,
  CONTROL_COUNT,
  benchControls,
  benchEntities,
  entityRef,
  seedIncidentsAndReviews,
  testRecordBatches,
} from './seed';

// autocannon ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

type DbId = 'sqlite' | 'pg';

interface Options {
  sizes: number[];
  duration: number;
  dbs: DbId[];
  connections: number;
  recordsPerPair: number;
  dbIterations: number;
  pgUrl: string;
}

function readOptions(): Options {
  const args = process.argv.slice(2);
  const arg = (name: string, env: string, fallback: string) => {
    const index = args.indexOf(`--${name}`);
    if (index >= 0 && args[index + 1] !== undefined) return args[index + 1];
    return process.env[env] ?? fallback;
  };
  const dbs = arg('db', 'BENCH_DB', 'sqlite,pg')
    .split(',')
    .map(s => s.trim());
  for (const db of dbs) {
    if (db !== 'sqlite' && db !== 'pg') {
      throw new Error(`--db takes sqlite and/or pg, not '${db}'`);
    }
  }
  return {
    sizes: arg('sizes', 'BENCH_SIZES', '1000,10000').split(',').map(Number),
    duration: Number(arg('duration', 'BENCH_DURATION', '5')),
    dbs: dbs as DbId[],
    connections: Number(arg('connections', 'BENCH_CONNECTIONS', '16')),
    recordsPerPair: Number(
      arg('records-per-pair', 'BENCH_RECORDS_PER_PAIR', '10'),
    ),
    dbIterations: Number(arg('db-iterations', 'BENCH_DB_ITERATIONS', '500')),
    pgUrl: arg(
      'pg-url',
      'BENCH_PG_URL',
      'postgresql://postgres@127.0.0.1:5432',
    ),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

async function timeSequential(
  iterations: number,
  run: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

interface LoadResult {
  p50: number;
  p99: number;
  rps: number;
  ok: number;
  failures: number;
}

/**
 * Runs autocannon in a worker thread, so that the load generator does not
 * share the server's event loop. Requests cycle through `paths`.
 */
async function load(options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  method?: string;
  headers: Record<string, string>;
  body?: string;
  paths: string[];
}): Promise<LoadResult> {
  const start = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount
      ? { amount: options.amount }
      : { duration: options.duration }),
    workers: 1,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: options.paths.map(path => ({ path })),
  });
  const seconds = (performance.now() - start) / 1000;
  // With no answered request autocannon reports 0 ms, which would pass.
  const answered = result['2xx'] > 0;
  return {
    p50: answered ? result.latency.p50 : NaN,
    p99: answered ? result.latency.p99 : NaN,
    rps: options.amount ? result['2xx'] / seconds : result.requests.average,
    ok: result['2xx'],
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Posts pre-serialised 1000-record bodies with `connections` requests in
 * flight, each taking the next body, and measures records per second.
 */
async function concurrentPosts(options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  bodies: string[];
}): Promise<{ recordsPerSecond: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (next < options.bodies.length) {
        const body = options.bodies[next++];
        const response = await fetch(options.url, {
          method: 'POST',
          headers: options.headers,
          body,
        });
        await response.arrayBuffer();
        if (!response.ok) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    recordsPerSecond: ((options.bodies.length - failures) * 1000) / seconds,
    failures,
  };
}

interface Database {
  knex: Knex;
  label: string;
  dispose(): Promise<void>;
}

async function openDatabase(
  db: DbId,
  size: number,
  options: Options,
): Promise<Database> {
  const stamp = `${Date.now()}_${size}`;
  if (db === 'sqlite') {
    const filename = join(tmpdir(), `secmgmt_bench_${stamp}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    return {
      knex,
      label: 'SQLite (file)',
      async dispose() {
        await knex.destroy();
        for (const suffix of ['', '-wal', '-shm', '-journal']) {
          rmSync(`${filename}${suffix}`, { force: true });
        }
      },
    };
  }
  const name = `secmgmt_bench_${stamp}`;
  const admin = knexFactory({
    client: 'pg',
    connection: `${options.pgUrl}/postgres`,
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  const knex = knexFactory({
    client: 'pg',
    connection: `${options.pgUrl}/${name}`,
  });
  return {
    knex,
    label: 'PostgreSQL',
    async dispose() {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    },
  };
}

interface SizeResult {
  db: DbId;
  label: string;
  size: number;
  pairs: number;
  records: number;
  seedSeconds: number;
  ingestRecordsPerSecond: number;
  httpIngestRecordsPerSecond: number;
  httpIngestFailures: number;
  posture: LoadResult;
  rollup: LoadResult;
  rollupSingleMs: number;
  noop: LoadResult;
  dbPosture: { p50: number; p99: number };
  dbRollup: { p50: number; p99: number };
}

async function benchSize(
  db: DbId,
  size: number,
  options: Options,
): Promise<SizeResult> {
  const log = (message: string) =>
    process.stderr.write(`[${db} ${size}] ${message}\n`);
  const database = await openDatabase(db, size, options);
  const { knex } = database;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  try {
    const databaseService = mockServices.database({ knex });
    const stores = await createSecurityStores({
      database: databaseService,
    });
    const now = new Date();
    const entities = benchEntities(size);

    let start = performance.now();
    const snapshot = await stores.applicability.replaceCatalogSnapshot({
      controls: benchControls(),
      entities,
      now,
    });
    log(
      `snapshot: ${snapshot.entityCount} entities, ${snapshot.pairCount} pairs`,
    );

    // The batch ingest figure: store.addTestRecords, 1000 records a call.
    let records = 0;
    const ingestStart = performance.now();
    for (const batch of testRecordBatches({
      entities,
      recordsPerPair: options.recordsPerPair,
      now,
    })) {
      await stores.testing.addTestRecords({
        records: batch,
        tester: 'bench',
        now,
      });
      records += batch.length;
    }
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    log(`ingested ${records} records in ${ingestSeconds.toFixed(1)} s`);

    const seeded = await seedIncidentsAndReviews({
      incidents: stores.incidents,
      reviews: stores.reviews,
      entities,
      now,
    });
    log(`${seeded.incidents} incidents, ${seeded.reviews} reviews`);
    if (db === 'pg') {
      // What autovacuum would do shortly after a bulk load.
      await knex.raw('ANALYZE');
    }
    const seedSeconds = (performance.now() - start) / 1000;

    const randomRef = () => entityRef(Math.floor(Math.random() * size));
    const reviewDueSoon = 'P30D';
    // A manager's view: every open incident is counted.
    const incidentAccess = { allowed: true } as const;
    const dbPosture = await timeSequential(options.dbIterations, async () => {
      const posture = await stores.posture.getEntityPosture({
        entityRef: randomRef(),
        now: new Date(),
        reviewDueSoon,
        incidentAccess,
      });
      if (!posture) throw new Error('posture missing from the store');
    });
    const dbRollup = await timeSequential(
      Math.max(5, Math.round(options.dbIterations / 25)),
      () =>
        stores.posture.rollup({
          by: 'owner',
          now: new Date(),
          reviewDueSoon,
          incidentAccess,
        }),
    );
    log(
      `db floor: posture p99 ${dbPosture.p99.toFixed(
        2,
      )} ms, rollup p50 ${dbRollup.p50.toFixed(1)} ms`,
    );

    backend = await startTestBackend({
      features: [
        securityManagementPlugin,
        mockServices.database.factory({ knex }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootLogger.factory({ level: 'warn' }),
        // The catalog is empty and the sync must not run: the store is seeded.
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    const base = `http://127.0.0.1:${backend.server.port()}`;
    const api = '/api/security-management';
    const headers = {
      authorization: mockCredentials.user.header('user:default/bench'),
      'content-type': 'application/json',
    };

    // Warm up each route and check it answers 200.
    for (const path of [
      `${api}/openapi.json`,
      `${api}/posture/entity?entityRef=${encodeURIComponent(randomRef())}`,
      `${api}/posture/rollup?by=owner`,
    ]) {
      const response = await fetch(`${base}${path}`, { headers });
      if (!response.ok) {
        throw new Error(
          `GET ${path} answered ${response.status}: ${await response.text()}`,
        );
      }
      await response.arrayBuffer();
    }

    const common = {
      url: base,
      connections: options.connections,
      duration: options.duration,
      headers,
    };
    // The single roll-up first, on an idle server: after a load run the
    // server may still be answering requests autocannon gave up on.
    const singles: number[] = [];
    for (let i = 0; i < 5; i++) {
      start = performance.now();
      const single = await fetch(`${base}${api}/posture/rollup?by=owner`, {
        headers,
      });
      await single.json();
      singles.push(performance.now() - start);
    }
    const rollupSingleMs = percentile(
      singles.sort((a, b) => a - b),
      50,
    );

    const noop = await load({ ...common, paths: [`${api}/openapi.json`] });
    // A random entity per request, from a pre-drawn list the worker cycles through.
    const posture = await load({
      ...common,
      paths: Array.from(
        { length: 5000 },
        () =>
          `${api}/posture/entity?entityRef=${encodeURIComponent(randomRef())}`,
      ),
    });
    // A fixed number of roll-ups, so that the slow ones still in flight
    // when a timed run ends are measured too, not dropped.
    const rollup = await load({
      ...common,
      amount: options.connections * 3,
      paths: [`${api}/posture/rollup?by=owner`],
    });
    log(
      `http: posture p99 ${
        posture.p99
      } ms, rollup single ${rollupSingleMs.toFixed(1)} ms`,
    );

    // Last, since it grows the tables: 1000-record bodies over HTTP, as
    // concurrent CI pipelines would post them: each body covers its own
    // slice of (entity, control) pairs, so requests do not all queue on the
    // same rows' locks.
    const httpIngest = await concurrentPosts({
      url: `${base}${api}/test-records/batch`,
      headers: common.headers,
      connections: options.connections,
      bodies: Array.from({ length: options.connections * 2 }, (_, k) =>
        JSON.stringify({
          records: Array.from({ length: 1000 }, (__, i) => {
            const n = k * 1000 + i;
            const entity = entities[n % size];
            return {
              controlRef:
                entity.controlRefs[
                  Math.floor(n / size) % entity.controlRefs.length
                ],
              entityRef: entity.entityRef,
              result: 'pass',
              testedAt: now.toISOString(),
            };
          }),
        }),
      ),
    });

    return {
      db,
      label: database.label,
      size,
      pairs: snapshot.pairCount,
      records,
      seedSeconds,
      ingestRecordsPerSecond: records / ingestSeconds,
      httpIngestRecordsPerSecond: httpIngest.recordsPerSecond,
      httpIngestFailures: httpIngest.failures,
      posture,
      rollup,
      rollupSingleMs,
      noop,
      dbPosture,
      dbRollup,
    };
  } finally {
    await backend?.stop();
    await database.dispose();
  }
}

const ms = (value: number) =>
  Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a';
const num = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number, floor: number) =>
  floor > 0 ? `${(value / floor).toFixed(2)}×` : 'n/a';

function report(results: SizeResult[], options: Options) {
  const lines: string[] = [];
  lines.push(
    `Security Management backend benchmark — ${new Date().toISOString()}, Node ${
      process.version
    }, ` +
      `${CONTROL_COUNT} controls (${APPLICABLE_PER_ENTITY} applicable per entity), ` +
      `${options.recordsPerPair} test records per pair, autocannon ${options.connections} connections × ${options.duration} s. ` +
      `HTTP floor: authenticated GET /api/security-management/openapi.json (credentials check + cached document). ` +
      `DB floor: the same store call, sequential (${
        options.dbIterations
      } posture / ${Math.max(
        5,
        Math.round(options.dbIterations / 25),
      )} roll-up iterations).`,
  );
  lines.push('');
  lines.push('| DB | entities | figure | value | floor | ratio to floor |');
  lines.push('|---|---:|---|---:|---:|---:|');
  for (const r of results) {
    const row = (figure: string, value: string, floor: string, rat: string) =>
      lines.push(
        `| ${r.label} | ${num(
          r.size,
        )} | ${figure} | ${value} | ${floor} | ${rat} |`,
      );
    row(
      'seed (snapshot + ingest + incidents/reviews)',
      `${r.seedSeconds.toFixed(1)} s (${num(r.pairs)} pairs, ${num(
        r.records,
      )} records)`,
      '',
      '',
    );
    row(
      'batch ingest, store.addTestRecords ×1000',
      `${num(r.ingestRecordsPerSecond)} records/s`,
      '',
      '',
    );
    row(
      'batch ingest, POST /test-records/batch ×1000',
      `${num(r.httpIngestRecordsPerSecond)} records/s${
        r.httpIngestFailures ? ` (${r.httpIngestFailures} failed)` : ''
      }`,
      `${num(r.ingestRecordsPerSecond)} records/s (store)`,
      ratio(r.httpIngestRecordsPerSecond, r.ingestRecordsPerSecond),
    );
    row(
      'no-op route (openapi.json) p50 / p99',
      `${ms(r.noop.p50)} / ${ms(r.noop.p99)}`,
      '',
      '',
    );
    row('no-op route req/s', num(r.noop.rps), '', '');
    row(
      'per-entity posture p50 (HTTP)',
      ms(r.posture.p50),
      `${ms(r.noop.p50)} (no-op)`,
      ratio(r.posture.p50, r.noop.p50),
    );
    row(
      'per-entity posture p99 (HTTP)',
      ms(r.posture.p99),
      `${ms(r.noop.p99)} (no-op)`,
      ratio(r.posture.p99, r.noop.p99),
    );
    row(
      'per-entity posture req/s (HTTP)',
      num(r.posture.rps) +
        (r.posture.failures ? ` (${r.posture.failures} failed)` : ''),
      `${num(r.noop.rps)} (no-op)`,
      ratio(r.posture.rps, r.noop.rps),
    );
    row(
      'per-entity posture p50 / p99 (store, sequential)',
      `${ms(r.dbPosture.p50)} / ${ms(r.dbPosture.p99)}`,
      '',
      '',
    );
    row(
      'roll-up by owner, single request (median of 5, idle)',
      ms(r.rollupSingleMs),
      `${ms(r.dbRollup.p50)} (store p50)`,
      ratio(r.rollupSingleMs, r.dbRollup.p50),
    );
    row(
      'roll-up by owner p50 / p99 (HTTP, under load)',
      `${ms(r.rollup.p50)} / ${ms(r.rollup.p99)}`,
      `${ms(r.dbRollup.p50)} / ${ms(r.dbRollup.p99)} (store)`,
      `${ratio(r.rollup.p50, r.dbRollup.p50)} / ${ratio(
        r.rollup.p99,
        r.dbRollup.p99,
      )}`,
    );
    row(
      'roll-up req/s (HTTP)',
      num(r.rollup.rps) +
        (r.rollup.failures ? ` (${r.rollup.failures} failed)` : ''),
      '',
      '',
    );
  }

  lines.push('');
  lines.push('| target | DB | measured | result |');
  lines.push('|---|---|---|---|');
  const target = (name: string, db: string, measured: string, ok: boolean) =>
    lines.push(`| ${name} | ${db} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`);
  for (const r of results) {
    target(
      `per-entity posture p99 < 20 ms (${num(r.size)})`,
      r.label,
      ms(r.posture.p99),
      r.posture.p99 < 20,
    );
    target(
      `per-entity posture p99 ≤ 1.5× no-op p99 (${num(r.size)})`,
      r.label,
      `${ms(r.posture.p99)} vs ${ms(r.noop.p99)} = ${ratio(
        r.posture.p99,
        r.noop.p99,
      )}`,
      r.posture.p99 <= 1.5 * r.noop.p99,
    );
    target(
      `batch ingest ≥ 10k records/s (${num(r.size)})`,
      r.label,
      `${num(r.ingestRecordsPerSecond)} records/s`,
      r.ingestRecordsPerSecond >= 10000,
    );
    target(
      `batch ingest over HTTP ≥ 10k records/s (${num(r.size)})`,
      r.label,
      `${num(r.httpIngestRecordsPerSecond)} records/s`,
      r.httpIngestRecordsPerSecond >= 10000 && r.httpIngestFailures === 0,
    );
  }
  for (const r of results.filter(x => x.size >= 10000)) {
    target(
      `roll-up over ${num(r.size)} < 300 ms (single request)`,
      r.label,
      ms(r.rollupSingleMs),
      r.rollupSingleMs < 300,
    );
    target(
      `roll-up over ${num(r.size)} < 300 ms (p99 under ${
        options.connections
      } connections)`,
      r.label,
      ms(r.rollup.p99),
      r.rollup.p99 < 300,
    );
  }
  for (const db of options.dbs) {
    const bySize = results
      .filter(r => r.db === db)
      .sort((a, b) => a.size - b.size);
    if (bySize.length < 2) continue;
    const small = bySize[0];
    const large = bySize[bySize.length - 1];
    target(
      `posture p99 at ${num(large.size)} ≤ 1.2× at ${num(small.size)}`,
      large.label,
      `${ms(large.posture.p99)} vs ${ms(small.posture.p99)} = ${ratio(
        large.posture.p99,
        small.posture.p99,
      )}`,
      large.posture.p99 <= 1.2 * small.posture.p99,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const options = readOptions();
  // `--only advisories`, `--only correlation` or `--only notifications`
  // (or BENCH_ONLY) runs bench/advisories.ts, bench/correlation.ts or
  // bench/notifications.ts instead.
  const args = process.argv.slice(2);
  const only = args.includes('--only')
    ? args[args.indexOf('--only') + 1]
    : process.env.BENCH_ONLY;
  if (only === 'correlation') {
    await benchCorrelation(options);
    return;
  }
  if (only === 'notifications') {
    await benchNotifications({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
    });
    return;
  }
  if (only === 'review-triggers') {
    await benchReviewTriggers({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
    });
    return;
  }
  if (only === 'campaigns') {
    await benchCampaigns({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
    });
    return;
  }
  if (only === 'history') {
    await benchHistory({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
      load,
    });
    return;
  }
  if (only === 'advisories') {
    await benchAdvisories({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
      load,
    });
    return;
  }
  const results: SizeResult[] = [];
  for (const db of options.dbs) {
    for (const size of options.sizes) {
      results.push(await benchSize(db, size, options));
    }
  }
  report(results, options);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
