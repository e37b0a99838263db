// The posture benchmark's tables: its figures against their floors, then its targets.
import { ms, num, ratio } from './format';
import { LoadResult } from './load';
import { DbId, Options } from './options';
import { APPLICABLE_PER_ENTITY, CONTROL_COUNT } from './seed';

/** The figures of one database at one size, as posture.ts measures them. */
export interface SizeResult {
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

/** Prints the figures and the targets of every database and size, as Markdown. */
export function reportPosture(results: SizeResult[], options: Options) {
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
