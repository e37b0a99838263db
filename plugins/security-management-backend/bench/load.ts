// Load generation and timing, shared by the benchmarks.
import { performance } from 'node:perf_hooks';

// autocannon ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/** The value at percentile `p` of `sorted` (ascending), by the nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

/** Runs `run` `iterations` times, one after another, and gives the p50 and p99 in ms. */
export async function timeSequential(
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

/** What a load run measured: latencies in ms, requests per second, counts. */
export interface LoadResult {
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
export async function load(options: {
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
export async function concurrentPosts(options: {
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
