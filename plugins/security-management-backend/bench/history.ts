/*
 * Benchmark of the posture history (`yarn bench --only history`): today's
 * snapshot of every entity (the floor: 10,000 entities in under 10 s), a
 * second run of the same day, and an owner's 365-day trend over HTTP under
 * load against the no-op route (the floor: p99 within 2× of it), on SQLite
 * and PostgreSQL.
 *
 *   yarn bench --only history --sizes 10000 --records-per-pair 2 --db sqlite,pg
 */
import { mockServices } from '@backstage/backend-test-utils';
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { createSecurityStores } from '../src/database';
import { DatabaseHistoryStore } from '../src/history/DatabaseHistoryStore';
import { DAY_MS, dayOf, PostureHistory } from '../src/history/PostureHistory';
import { DatabaseReportStore } from '../src/reports/DatabaseReportStore';
import { chunkRows } from '../src/lib/rows';
import { BenchBackend, startBenchBackend } from './backend';
import { ms } from './format';
import { LoadResult } from './load';
import {
  benchControls,
  benchEntities,
  seedIncidentsAndReviews,
  testRecordBatches,
} from './seed';

type DbId = 'sqlite' | 'pg';

/** What run.ts lends: its options, its databases and its load generator. */
export interface HistoryBenchDeps {
  dbs: DbId[];
  sizes: number[];
  duration: number;
  connections: number;
  recordsPerPair: number;
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

interface HistoryResult {
  label: string;
  size: number;
  snapshotSeconds: number;
  rerunSeconds: number;
  groupRows: number;
  noop: LoadResult;
  trend: LoadResult;
}

/** Copies today's group sums to each of the 364 days before, as a year of history. */
async function fillYear(knex: Knex, today: string): Promise<number> {
  const rows = await knex('posture_snapshot_groups').where({ day: today });
  let written = 0;
  for (let back = 1; back < 365; back++) {
    const day = dayOf(Date.parse(today) - back * DAY_MS);
    const copies = rows.map(row => ({ ...row, day, source: 'backfill' }));
    for (const part of chunkRows(copies)) {
      await knex('posture_snapshot_groups').insert(part);
    }
    written += copies.length;
  }
  return written + rows.length;
}

async function benchOne(
  db: DbId,
  size: number,
  deps: HistoryBenchDeps,
): Promise<HistoryResult> {
  const log = (message: string) =>
    process.stderr.write(`[history ${db} ${size}] ${message}\n`);
  const database = await deps.openDatabase(db, size);
  const { knex } = database;
  let backend: BenchBackend | undefined;
  try {
    const databaseService = mockServices.database({ knex });
    const stores = await createSecurityStores({ database: databaseService });
    const now = new Date();
    const entities = benchEntities(size);
    await stores.applicability.replaceCatalogSnapshot({
      controls: benchControls(),
      entities,
      now,
    });
    for (const batch of testRecordBatches({
      entities,
      recordsPerPair: deps.recordsPerPair,
      now,
    })) {
      await stores.testing.addTestRecords({
        records: batch,
        tester: 'bench',
        now,
      });
    }
    await seedIncidentsAndReviews({
      incidents: stores.incidents,
      reviews: stores.reviews,
      entities,
      now,
    });
    if (db === 'pg') await knex.raw('ANALYZE');
    log('seeded');

    const history = new PostureHistory({
      store: await DatabaseHistoryStore.create({ database: databaseService }),
      posture: stores.posture,
      facts: await DatabaseReportStore.create({ database: databaseService }),
      reviewDueSoon: 'P30D',
      retentionDays: 400,
      backfillDays: 0,
    });
    let start = performance.now();
    const taken = await history.snapshot(now.getTime());
    const snapshotSeconds = (performance.now() - start) / 1000;
    if (taken !== size) throw new Error(`snapshot took ${taken} of ${size}`);
    start = performance.now();
    await history.snapshot(now.getTime() + 1000);
    const rerunSeconds = (performance.now() - start) / 1000;
    log(
      `snapshot ${snapshotSeconds.toFixed(2)} s, rerun ${rerunSeconds.toFixed(
        2,
      )} s`,
    );
    const groupRows = await fillYear(knex, dayOf(now.getTime()));
    if (db === 'pg') await knex.raw('ANALYZE');
    log(`${groupRows} group rows over 365 days`);

    backend = await startBenchBackend({ knex });
    const base = backend.base;
    const api = '/api/security-management';
    const headers = { authorization: backend.authorization };
    const owners = [...new Set(entities.map(e => e.owner!))];
    const trendPaths = Array.from(
      { length: 2000 },
      (_, i) =>
        `${api}/history/trend?by=owner&key=${encodeURIComponent(
          owners[i % owners.length],
        )}&days=365`,
    );
    const probe = await fetch(`${base}${trendPaths[0]}`, { headers });
    const body = await probe.json();
    if (!probe.ok || body.points.length !== 365) {
      throw new Error(
        `the trend answered ${probe.status} with ${body.points?.length} points`,
      );
    }
    const common = {
      url: base,
      connections: deps.connections,
      duration: deps.duration,
      headers,
    };
    const noop = await deps.load({ ...common, paths: [`${api}/openapi.json`] });
    const trend = await deps.load({ ...common, paths: trendPaths });
    log(`trend p99 ${trend.p99} ms, no-op p99 ${noop.p99} ms`);
    return {
      label: database.label,
      size,
      snapshotSeconds,
      rerunSeconds,
      groupRows,
      noop,
      trend,
    };
  } finally {
    await backend?.stop();
    await database.dispose();
  }
}

/** Runs the history benchmark for every database and size, and prints the tables. */
export async function benchHistory(deps: HistoryBenchDeps): Promise<void> {
  const results: HistoryResult[] = [];
  for (const db of deps.dbs) {
    for (const size of deps.sizes) results.push(await benchOne(db, size, deps));
  }
  const lines = [
    `Posture history benchmark — ${new Date().toISOString()}, Node ${
      process.version
    }, ${deps.recordsPerPair} test records per pair, autocannon ${
      deps.connections
    } connections × ${
      deps.duration
    } s. HTTP floor: authenticated GET openapi.json.`,
    '',
    '| DB | entities | figure | value |',
    '|---|---:|---|---:|',
  ];
  for (const r of results) {
    const row = (figure: string, value: string) =>
      lines.push(`| ${r.label} | ${r.size} | ${figure} | ${value} |`);
    row("today's snapshot (first run)", `${r.snapshotSeconds.toFixed(2)} s`);
    row("today's snapshot (rerun, same day)", `${r.rerunSeconds.toFixed(2)} s`);
    row('group rows read from (365 days)', `${r.groupRows}`);
    row('no-op p50 / p99', `${ms(r.noop.p50)} / ${ms(r.noop.p99)}`);
    row(
      "owner's 365-day trend p50 / p99",
      `${ms(r.trend.p50)} / ${ms(r.trend.p99)}`,
    );
    row(
      "owner's 365-day trend req/s",
      `${Math.round(r.trend.rps)}${
        r.trend.failures ? ` (${r.trend.failures} failed)` : ''
      }`,
    );
  }
  lines.push('', '| target | DB | measured | result |', '|---|---|---|---|');
  for (const r of results) {
    const target = (name: string, measured: string, ok: boolean) =>
      lines.push(
        `| ${name} | ${r.label} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`,
      );
    if (r.size >= 10000) {
      target(
        `snapshot of ${r.size} entities < 10 s`,
        `${r.snapshotSeconds.toFixed(2)} s`,
        r.snapshotSeconds < 10,
      );
    }
    target(
      `owner's 365-day trend p99 ≤ 2× no-op p99 (${r.size})`,
      `${ms(r.trend.p99)} vs ${ms(r.noop.p99)} = ${(
        r.trend.p99 / r.noop.p99
      ).toFixed(2)}×`,
      r.trend.p99 <= 2 * r.noop.p99 && r.trend.failures === 0,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
