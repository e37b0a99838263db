/*
 * The figures of the advisories benchmark (bench/advisories.ts), and the
 * Markdown tables they are printed as.
 */
import { AdvisoryRefreshResult } from '@open-itsm/plugin-security-management-common';

import { ms, num } from './format';
import { LoadResult } from './load';

export interface CycleResult {
  seconds: number;
  /** CPU seconds of this process (the database server's not counted). */
  cpu: number;
  feeds: number;
  index: number;
  catalog: number;
  readMatch: number;
  /** Of the whole cycle, the benchmark's reader handing out SBOM bytes. */
  reading: number;
  /**
   * From the first batch's write to the end: the later batches are read
   * and matched meanwhile (pipelined), so this is not the writes alone.
   */
  write: number;
  /** Of write, the time inside syncEntities (the findings written). */
  writing: number;
  /** Of write, forgetEntitiesExcept (and the listeners, none here). */
  forget: number;
  result: AdvisoryRefreshResult;
  matchedComponents: number;
  findings: number;
  heapMb: number;
}

export interface DbResult {
  label: string;
  entities: number;
  components: number;
  advisories: number;
  first: CycleResult;
  again: CycleResult;
  entityRefresh: { p50: number; max: number; runs: number };
  noop: LoadResult;
  advisoriesHttp: LoadResult;
  /** Entity advisories p99 over no-op p99, per round. */
  p99Ratios: number[];
  /** Median latency of one request at a time. */
  single: { noop: number; advisories: number };
  store: { p50: number; p99: number };
  findingsPerEntity: number;
  responseKb: number;
  noopKb: number;
}

/** Rounds of load of each route, alternating. */
export const HTTP_ROUNDS = 3;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The median p50, p99 and req/s of rounds, and all their failures. */
export function medianLoad(rounds: LoadResult[]): LoadResult {
  return {
    p50: median(rounds.map(r => r.p50)),
    p99: median(rounds.map(r => r.p99)),
    rps: median(rounds.map(r => r.rps)),
    ok: rounds.reduce((n, r) => n + r.ok, 0),
    failures: rounds.reduce((n, r) => n + r.failures, 0),
  };
}

const s = (value: number) => `${value.toFixed(1)} s`;

export function report(
  results: DbResult[],
  deps: { connections: number; duration: number },
): string {
  const lines: string[] = [];
  const r0 = results[0];
  lines.push(
    `Advisories benchmark (issue 9) — ${new Date().toISOString()}, Node ${
      process.version
    }: ` +
      `CISA KEV catalog (fixture) + ${num(
        r0.advisories,
      )} stored advisories in all, ` +
      `${num(r0.entities)} entities × ${num(
        r0.components,
      )}-component CycloneDX 1.5 SBOMs (in-memory catalog and UrlReader), ` +
      `autocannon ${deps.connections} connections × ${deps.duration} s.`,
  );
  lines.push('');
  lines.push('| DB | figure | value | floor | ratio |');
  lines.push('|---|---|---:|---:|---:|');
  for (const r of results) {
    const row = (figure: string, value: string, floor = '', ratio = '') =>
      lines.push(`| ${r.label} | ${figure} | ${value} | ${floor} | ${ratio} |`);
    for (const [name, c] of [
      ['refreshAll, first (everything new)', r.first],
      ['refreshAll again, nothing changed', r.again],
    ] as const) {
      row(
        `${name}, wall (CPU of the process)`,
        `${s(c.seconds)} (${s(c.cpu)})`,
        '60 s',
        `${(c.seconds / 60).toFixed(2)}×`,
      );
      row(
        '↳ feeds / index / catalog (mock) / read SBOMs + match of the first batch (of which the reader handing out their bytes, whole cycle) / the other batches matched while the one before is written (of which inside syncEntities / forgetEntitiesExcept)',
        `${[c.feeds, c.index, c.catalog].map(s).join(' / ')} / ${s(
          c.readMatch,
        )} (${s(c.reading)}) / ${s(c.write)} (${s(c.writing)} / ${s(
          c.forget,
        )})`,
      );
      row(
        '↳ findings matched / components matched',
        `${num(c.findings)} (${(c.findings / r.entities).toFixed(
          1,
        )} per entity) / ${(
          (100 * c.matchedComponents) /
          (r.entities * r.components)
        ).toFixed(2)} %; opened ${num(c.result.findingsOpened)}, heap ${num(
          c.heapMb,
        )} MB`,
      );
    }
    row(
      `refreshEntity after an SBOM change, median of ${r.entityRefresh.runs} (max)`,
      `${ms(r.entityRefresh.p50)} (${ms(r.entityRefresh.max)})`,
      '1 s',
      `${(r.entityRefresh.p50 / 1000).toFixed(3)}×`,
    );
    row(
      `no-op route (openapi.json, ${r.noopKb.toFixed(
        0,
      )} kB) p50 / p99, median of ${HTTP_ROUNDS} rounds`,
      `${ms(r.noop.p50)} / ${ms(r.noop.p99)}`,
    );
    row(
      `GET /advisories/entity p50 / p99 (${r.findingsPerEntity.toFixed(
        1,
      )} findings, ${r.responseKb.toFixed(0)} kB)`,
      `${ms(r.advisoriesHttp.p50)} / ${ms(r.advisoriesHttp.p99)}${
        r.advisoriesHttp.failures
          ? ` (${r.advisoriesHttp.failures} failed)`
          : ''
      }`,
      `1.5 × ${ms(r.noop.p99)}`,
      `${median(r.p99Ratios).toFixed(2)}× no-op (rounds: ${r.p99Ratios
        .map(x => `${x.toFixed(2)}×`)
        .join(', ')})`,
    );
    row(
      'GET /advisories/entity, one request at a time, median',
      ms(r.single.advisories),
      `${ms(r.single.noop)} (no-op)`,
      `${(r.single.advisories / r.single.noop).toFixed(2)}×`,
    );
    row(
      'GET /advisories/entity req/s (no-op)',
      `${num(r.advisoriesHttp.rps)} (${num(r.noop.rps)})`,
    );
    row(
      'getEntityAdvisories p50 / p99 (store, sequential)',
      `${ms(r.store.p50)} / ${ms(r.store.p99)}`,
    );
  }
  lines.push('');
  lines.push('| target | DB | measured | result |');
  lines.push('|---|---|---|---|');
  for (const r of results) {
    const target = (name: string, measured: string, ok: boolean) =>
      lines.push(
        `| ${name} | ${r.label} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`,
      );
    target(
      'ingest + match at scale < 60 s',
      s(r.first.seconds),
      r.first.seconds < 60,
    );
    target(
      'matches current < 1 s after an SBOM change',
      ms(r.entityRefresh.p50),
      r.entityRefresh.p50 < 1000,
    );
    target(
      'entity advisories p99 ≤ 1.5× no-op p99 (median of the rounds’ ratios)',
      `${median(r.p99Ratios).toFixed(2)}× (rounds: ${r.p99Ratios
        .map(x => `${x.toFixed(2)}×`)
        .join(', ')})`,
      median(r.p99Ratios) <= 1.5 && r.advisoriesHttp.failures === 0,
    );
  }
  return lines.join('\n');
}
