/*
 * Benchmark of the Security Management backend: posture reads, the roll-up
 * and test-record ingest, over HTTP and straight through the store, on SQLite
 * and PostgreSQL. What `yarn bench` runs without `--only`.
 *
 *   yarn bench --sizes 1000,10000 --duration 5 --db sqlite,pg
 */
import { mockServices } from '@backstage/backend-test-utils';
import { performance } from 'node:perf_hooks';
import { createSecurityStores } from '../src/database';
import { BenchBackend, startBenchBackend } from './backend';
import { openDatabase } from './database';
import { concurrentPosts, load, percentile, timeSequential } from './load';
import { DbId, Options } from './options';
import { reportPosture, SizeResult } from './postureReport';
import {
  benchControls,
  benchEntities,
  entityRef,
  seedIncidentsAndReviews,
  testRecordBatches,
} from './seed';

/** Seeds a new database with `size` entities and measures it. */
async function benchSize(
  db: DbId,
  size: number,
  options: Options,
): Promise<SizeResult> {
  const log = (message: string) =>
    process.stderr.write(`[${db} ${size}] ${message}\n`);
  const database = await openDatabase(db, size, options);
  const { knex } = database;
  let backend: BenchBackend | undefined;
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

    backend = await startBenchBackend({ knex });
    const base = backend.base;
    const api = '/api/security-management';
    const headers = {
      authorization: backend.authorization,
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

/** Runs the posture benchmark for every database and size, and prints the tables. */
export async function benchPosture(options: Options): Promise<void> {
  const results: SizeResult[] = [];
  for (const db of options.dbs) {
    for (const size of options.sizes) {
      results.push(await benchSize(db, size, options));
    }
  }
  reportPosture(results, options);
}
