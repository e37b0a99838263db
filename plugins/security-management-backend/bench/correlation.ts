/*
 * Benchmark of security-event correlation on PostgreSQL: several producers
 * on two "replicas" (two engines, each with its own connection pool on one
 * database) push events of many fingerprints for a while, some batches sent
 * twice as retries; then checks that every event was counted exactly once
 * and that each fingerprint opened exactly one incident.
 *
 *   yarn bench --only correlation --duration 10
 */
import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { CorrelationEngine } from '../src/correlation/CorrelationEngine';
import { DatabaseCorrelationStore } from '../src/correlation/DatabaseCorrelationStore';
import { readCorrelationSettings } from '../src/correlation/settings';
import { createSecurityStores } from '../src/database';
import { benchControls, benchEntities, prng } from './seed';

const REPLICAS = 2;
const PRODUCERS_PER_REPLICA = 3;
const BATCH = 20;
const ENTITIES = 50;
const FINGERPRINTS = 200;
/** Share of batches a producer sends a second time, as a retry would. */
const RETRY_SHARE = 0.05;
const THRESHOLD = 5;

/** An auditor that records nothing: the figure is the engine's. */
const quietAuditor = {
  createEvent: async () => ({ success: async () => {}, fail: async () => {} }),
} as unknown as AuditorService;

async function replica(knex: Knex) {
  const database = mockServices.database({ knex });
  const stores = await createSecurityStores({ database });
  const store = await DatabaseCorrelationStore.create({
    database,
    incidents: stores.incidents,
  });
  const settings = readCorrelationSettings(
    new ConfigReader({
      securityManagement: {
        correlation: {
          rules: [
            {
              id: 'bench-auth-failures',
              title: 'Benchmark authentication failures',
              match: { type: 'auth.failure' },
              fingerprint: ['entityRef', 'source.ip'],
              entity: 'entityRef',
              threshold: THRESHOLD,
              window: 'PT10M',
              incident: {
                title: '{{count}} failed logins from {{source.ip}}',
                severity: 'high',
              },
            },
          ],
        },
      },
    }),
  );
  const engine = new CorrelationEngine({
    settings,
    store,
    applicability: stores.applicability,
    auditor: quietAuditor,
    logger: mockServices.rootLogger({ level: 'warn' }),
  });
  return { stores, engine };
}

/** The entity and address of fingerprint `i`. */
function fingerprintOf(i: number) {
  return {
    entityRef: `component:default/bench-service-${i % ENTITIES}`,
    ip: `10.${Math.floor(i / 250)}.${i % 250}.7`,
  };
}

/**
 * Runs the benchmark on a fresh PostgreSQL database and prints its figures;
 * throws when an event was lost or counted twice, or a fingerprint opened
 * other than one incident.
 */
export async function benchCorrelation(options: {
  pgUrl: string;
  duration: number;
}): Promise<void> {
  const log = (message: string) =>
    process.stderr.write(`[correlation] ${message}\n`);
  const name = `secmgmt_bench_correlation_${Date.now()}`;
  const admin = knexFactory({
    client: 'pg',
    connection: `${options.pgUrl}/postgres`,
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  const pools = Array.from({ length: REPLICAS }, () =>
    knexFactory({
      client: 'pg',
      connection: `${options.pgUrl}/${name}`,
      pool: { min: 0, max: 4 },
    }),
  );
  try {
    const replicas: Array<Awaited<ReturnType<typeof replica>>> = [];
    for (const knex of pools) replicas.push(await replica(knex));
    await replicas[0].stores.applicability.replaceCatalogSnapshot({
      controls: benchControls(),
      entities: benchEntities(ENTITIES),
      now: new Date(),
    });

    // What was sent, by fingerprint: the distinct event ids.
    const sent = new Map<number, Set<string>>();
    let posted = 0;
    let accepted = 0;
    let duplicates = 0;
    let batches = 0;
    const deadline = performance.now() + options.duration * 1000;
    const start = performance.now();

    const producer = async (replicaIndex: number, index: number) => {
      const { engine } = replicas[replicaIndex];
      const random = prng(1000 * replicaIndex + index + 1);
      let sequence = 0;
      while (performance.now() < deadline) {
        const events = [];
        for (let i = 0; i < BATCH; i++) {
          const fingerprint = Math.floor(random() * FINGERPRINTS);
          const { entityRef, ip } = fingerprintOf(fingerprint);
          const id = `r${replicaIndex}-p${index}-${sequence++}`;
          let ids = sent.get(fingerprint);
          if (!ids) sent.set(fingerprint, (ids = new Set()));
          ids.add(id);
          events.push({
            event: { id, type: 'auth.failure', entityRef, source: { ip } },
            occurredAt: Date.now(),
          });
        }
        const sends = random() < RETRY_SHARE ? 2 : 1;
        for (let i = 0; i < sends; i++) {
          const result = await engine.ingest({
            topic: 'security',
            events,
            receivedFrom: 'bench',
            now: new Date(),
            trigger: 'api',
          });
          posted += events.length;
          accepted += result.accepted;
          duplicates += result.duplicates;
          batches++;
        }
      }
    };
    await Promise.all(
      replicas.flatMap((_, r) =>
        Array.from({ length: PRODUCERS_PER_REPLICA }, (__, p) =>
          producer(r, p),
        ),
      ),
    );
    const seconds = (performance.now() - start) / 1000;

    const knex = pools[0];
    const hitRows: Array<{ fingerprint: string; count: string }> = await knex(
      'security_event_hits',
    )
      .select('fingerprint')
      .count({ count: '*' })
      .groupBy('fingerprint');
    const firingRows: Array<{ fingerprint: string; count: string }> =
      await knex('correlation_firings')
        .select('fingerprint')
        .count({ count: '*' })
        .groupBy('fingerprint');
    const unattached = Number(
      (
        await knex('security_event_hits')
          .whereNull('incident_id')
          .count({ count: '*' })
          .first()
      )?.count,
    );
    const incidents = Number(
      (await knex('incidents').count({ count: '*' }).first())?.count,
    );
    const stored = Number(
      (await knex('security_events').count({ count: '*' }).first())?.count,
    );

    const distinct = [...sent.values()].reduce((n, ids) => n + ids.size, 0);
    const firedFingerprints = [...sent.values()].filter(
      ids => ids.size >= THRESHOLD,
    ).length;
    const hitCounts = hitRows
      .map(row => Number(row.count))
      .sort((a, b) => a - b);
    const sentCounts = [...sent.values()]
      .map(ids => ids.size)
      .sort((a, b) => a - b);
    const problems: string[] = [];
    if (stored !== distinct || accepted !== distinct) {
      problems.push(
        `${distinct} distinct events sent, ${accepted} accepted, ${stored} stored`,
      );
    }
    if (JSON.stringify(hitCounts) !== JSON.stringify(sentCounts)) {
      problems.push('hits per fingerprint differ from the events sent');
    }
    if (
      firingRows.length !== firedFingerprints ||
      firingRows.some(row => Number(row.count) !== 1) ||
      incidents !== firedFingerprints
    ) {
      problems.push(
        `${firedFingerprints} fingerprints reached the threshold; ${firingRows.length} fired, ${incidents} incidents`,
      );
    }
    // All events of a fingerprint fall in one window: once it fires, every
    // one of them joins its incident; only fingerprints below the
    // threshold keep unattached events.
    const belowThreshold = [...sent.values()]
      .filter(ids => ids.size < THRESHOLD)
      .reduce((n, ids) => n + ids.size, 0);
    if (unattached !== belowThreshold) {
      problems.push(
        `${unattached} events unattached, ${belowThreshold} expected (below the threshold)`,
      );
    }

    const rate = (n: number) => Math.round(n / seconds).toLocaleString('en-US');
    const lines = [
      '## Correlation (PostgreSQL)',
      '',
      `${REPLICAS} replicas × ${PRODUCERS_PER_REPLICA} producers, batches of ${BATCH}, ${FINGERPRINTS} fingerprints on ${ENTITIES} entities, ${
        RETRY_SHARE * 100
      }% of batches retried, ${seconds.toFixed(1)} s`,
      '',
      '| figure | value |',
      '|---|---:|',
      `| events posted (with retries) | ${posted.toLocaleString(
        'en-US',
      )} (${rate(posted)} events/s) |`,
      `| distinct events stored | ${distinct.toLocaleString('en-US')} (${rate(
        distinct,
      )} events/s) |`,
      `| duplicates refused | ${duplicates.toLocaleString('en-US')} |`,
      `| deliveries | ${batches.toLocaleString('en-US')} |`,
      `| incidents opened | ${incidents} (one per fingerprint: ${
        firingRows.every(row => Number(row.count) === 1) ? 'yes' : 'NO'
      }) |`,
      `| lost or double-counted events | ${
        problems.length ? 'FAIL' : 'none'
      } |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (problems.length) {
      throw new Error(`Correlation benchmark failed: ${problems.join('; ')}`);
    }
    log('verified: every event counted once, one incident per fingerprint');
  } finally {
    await Promise.all(pools.map(pool => pool.destroy()));
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
  }
}
