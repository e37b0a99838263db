/*
 * Benchmark of the daily digest (`yarn bench --only notifications`): on a
 * catalog of 10,000 entities with a realistic mix of overdue tests, reviews
 * due, expiring exceptions, open advisory findings and active alerts, how
 * long one day's notifications take to compute, and to compute, claim in
 * the ledger and hand to a notification service that only counts. Then
 * that a second run the same day and two racing replicas the next day send
 * nothing twice. Floor (issue 11): a day's notifications for 10,000
 * entities computed in under 10 s.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { createSecurityStores } from '../src/database';
import { DatabaseDeliveryLedger } from '../src/notifications/DatabaseDeliveryLedger';
import { collectOwnerDigests } from '../src/notifications/digestQueries';
import { SecurityNotifier } from '../src/notifications/SecurityNotifier';
import {
  benchControls,
  benchEntities,
  prng,
  seedIncidentsAndReviews,
  testRecordBatches,
} from './seed';

type DbId = 'sqlite' | 'pg';

const DAY_MS = 24 * 60 * 60 * 1000;
const FLOOR_MS = 10_000;

/** What run.ts lends: its options and its databases. */
export interface NotificationBenchDeps {
  dbs: DbId[];
  sizes: number[];
  openDatabase(
    db: DbId,
    size: number,
  ): Promise<{ knex: Knex; label: string; dispose(): Promise<void> }>;
}

/** Approved exceptions (1 per 40 entities, half expiring within 14 days). */
async function seedExceptions(
  stores: Awaited<ReturnType<typeof createSecurityStores>>,
  entities: ReturnType<typeof benchEntities>,
  now: Date,
) {
  for (let i = 0; i < entities.length; i += 40) {
    const entity = entities[i];
    const requested = await stores.exceptions.requestException({
      input: {
        controlRef: entity.controlRefs[0],
        entityRef: entity.entityRef,
        justification: 'Benchmark exception',
        expiresAt: new Date(
          now.getTime() + ((i / 40) % 2 ? 5 : 60) * DAY_MS,
        ).toISOString(),
      },
      requestedBy: 'user:default/bench',
      now,
    });
    await stores.exceptions.decideException({
      id: requested.id,
      decision: 'approved',
      decidedBy: 'user:default/bench-manager',
      now,
    });
  }
}

/** Advisory findings (1 per 4 entities) and 5 alerts over 200 entities each. */
async function seedFindingsAndAlerts(
  knex: Knex,
  entities: ReturnType<typeof benchEntities>,
  now: Date,
) {
  const random = prng(11);
  const statuses = ['open', 'acknowledged', 'mitigated', 'resolved'];
  const findings = [];
  for (let i = 0; i < entities.length; i += 4) {
    findings.push({
      id: `finding-${i}`,
      entity_ref: entities[i].entityRef,
      entity_title: entities[i].title,
      owner: entities[i].owner,
      advisory_id: `GHSA-bench-${i % 97}`,
      severity: 'high',
      known_exploited: false,
      kev: null,
      status: statuses[Math.floor(random() * statuses.length)],
      justification: null,
      note: null,
      due_at: now.getTime() + Math.floor((random() - 0.5) * 60 * DAY_MS),
      matches: '[]',
      first_seen_at: now.getTime() - 30 * DAY_MS,
      updated_at: now.getTime(),
      updated_by: null,
      resolved_at: null,
    });
  }
  for (let i = 0; i < findings.length; i += 200) {
    await knex('advisory_findings').insert(findings.slice(i, i + 200));
  }
  for (let a = 0; a < 5; a++) {
    await knex('security_alerts').insert({
      id: `alert-${a}`,
      title: `Benchmark alert ${a}`,
      description: 'Benchmark',
      severity: a === 0 ? 'critical' : 'high',
      precautions: 'None',
      scope: '{}',
      affected_entity_count: 200,
      expires_at: null,
      status: 'active',
      source: 'manual',
      raised_by: 'user:default/bench',
      raised_at: now.getTime() - DAY_MS,
    });
    const rows = entities.slice(a * 200, a * 200 + 200).map(entity => ({
      alert_id: `alert-${a}`,
      entity_ref: entity.entityRef,
    }));
    await knex('security_alert_entities').insert(rows.slice(0, 100));
    await knex('security_alert_entities').insert(rows.slice(100));
  }
}

function notifierOn(knex: Knex, send: () => Promise<void>) {
  return (async () =>
    new SecurityNotifier({
      db: knex,
      ledger: await DatabaseDeliveryLedger.create({
        database: mockServices.database({ knex }),
      }),
      notifications: { send },
      logger: mockServices.rootLogger({ level: 'warn' }),
      enabled: true,
      reviewDueSoon: 'P30D',
      exceptionsExpiringWithin: 'P14D',
    }))();
}

async function benchOne(db: DbId, size: number, deps: NotificationBenchDeps) {
  const log = (message: string) =>
    process.stderr.write(`[notifications ${db} ${size}] ${message}\n`);
  const database = await deps.openDatabase(db, size);
  const { knex } = database;
  try {
    const stores = await createSecurityStores({
      database: mockServices.database({ knex }),
    });
    const now = new Date();
    const entities = benchEntities(size);
    await stores.applicability.replaceCatalogSnapshot({
      controls: benchControls(),
      entities,
      now,
    });
    for (const batch of testRecordBatches({
      entities,
      recordsPerPair: 2,
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
    await seedExceptions(stores, entities, now);
    await seedFindingsAndAlerts(knex, entities, now);
    if (db === 'pg') await knex.raw('ANALYZE');
    log('seeded');

    const computeMs: number[] = [];
    let digests = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const result = await collectOwnerDigests(knex, {
        now,
        dueSoonAt: new Date(now.getTime() + 30 * DAY_MS),
        exceptionsExpiringBefore: new Date(now.getTime() + 14 * DAY_MS),
      });
      computeMs.push(performance.now() - start);
      digests = result.length;
    }
    computeMs.sort((a, b) => a - b);

    let sends = 0;
    const send = async () => {
      sends += 1;
    };
    const notifier = await notifierOn(knex, send);
    let start = performance.now();
    const first = await notifier.sendDailyDigest({ now });
    const firstMs = performance.now() - start;
    start = performance.now();
    const again = await notifier.sendDailyDigest({ now });
    const againMs = performance.now() - start;
    if (first.sent !== digests || again.sent !== 0 || sends !== digests) {
      throw new Error(
        `expected ${digests} digests once: first ${JSON.stringify(
          first,
        )}, again ${JSON.stringify(again)}, ${sends} sends`,
      );
    }

    // Two replicas race the next day's run: each owner still gets one.
    sends = 0;
    const tomorrow = new Date(now.getTime() + DAY_MS);
    const replicas = [
      await notifierOn(knex, send),
      await notifierOn(knex, send),
    ];
    start = performance.now();
    const raced = await Promise.all(
      replicas.map(replica => replica.sendDailyDigest({ now: tomorrow })),
    );
    const racedMs = performance.now() - start;
    const racedSent = raced[0].sent + raced[1].sent;
    if (sends !== first.owners || racedSent !== first.owners) {
      throw new Error(
        `racing replicas sent ${sends} digests for ${first.owners} owners`,
      );
    }
    return {
      label: database.label,
      size,
      owners: digests,
      computeMedianMs: computeMs[1],
      firstRunMs: firstMs,
      sameDayRerunMs: againMs,
      racedRunMs: racedMs,
    };
  } finally {
    await database.dispose();
  }
}

/** Runs the benchmark per database and prints the figures and the floor. */
export async function benchNotifications(
  deps: NotificationBenchDeps,
): Promise<void> {
  const size = Math.max(...deps.sizes);
  const lines = [
    `Daily digest of ${size.toLocaleString('en')} entities`,
    '| database | owners | compute (median of 3) | compute + claim + send | same-day rerun | 2 racing replicas | floor < 10 s |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const db of deps.dbs) {
    const r = await benchOne(db, size, deps);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    lines.push(
      `| ${r.label} | ${r.owners} | ${s(r.computeMedianMs)} | ${s(
        r.firstRunMs,
      )} | ${s(r.sameDayRerunMs)} | ${s(r.racedRunMs)} | ${
        r.firstRunMs < FLOOR_MS ? 'met' : 'MISSED'
      } |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
