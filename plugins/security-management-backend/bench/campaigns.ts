/*
 * Benchmark of campaign progress: one campaign over every one of N
 * entities with 5 controls (each entity has about 3 of them), progress
 * computed from the latest tests and exceptions, on SQLite and PostgreSQL.
 *
 *   yarn bench --only campaigns --sizes 1000,10000 --db sqlite,pg
 *
 * Figures (median of 5): the overall progress of the active campaigns (the
 * list), the progress per owner (one campaign), one entity's items, and
 * archiving (progress frozen in a transaction).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { DatabaseCampaignStore } from '../src/campaigns/DatabaseCampaignStore';
import { createSecurityStores } from '../src/database';
import {
  benchControls,
  benchEntities,
  controlRef,
  testRecordBatches,
} from './seed';

type DbId = 'sqlite' | 'pg';

/** What run.ts hands over. */
export interface CampaignBenchDeps {
  dbs: DbId[];
  sizes: number[];
  openDatabase(
    db: DbId,
    size: number,
  ): Promise<{ knex: Knex; label: string; dispose(): Promise<void> }>;
}

const ROUNDS = 5;
const CAMPAIGN_CONTROLS = [0, 1, 2, 3, 4].map(controlRef);

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)];
}

async function benchOne(db: DbId, size: number, deps: CampaignBenchDeps) {
  const log = (message: string) =>
    process.stderr.write(`[campaigns ${db} ${size}] ${message}\n`);
  const opened = await deps.openDatabase(db, size);
  try {
    const database = mockServices.database({ knex: opened.knex });
    const stores = await createSecurityStores({ database });
    const store = await DatabaseCampaignStore.create({ database });
    const now = new Date();
    const entities = benchEntities(size);
    await stores.applicability.replaceCatalogSnapshot({
      controls: benchControls(),
      entities,
      now,
    });
    for (const batch of testRecordBatches({
      entities,
      recordsPerPair: 1,
      now,
    })) {
      await stores.testing.addTestRecords({
        records: batch,
        tester: 'bench',
        now,
      });
    }
    const campaign = await store.createCampaign({
      campaign: {
        name: 'Bench campaign',
        goal: 'Measure progress at scale',
        controlRefs: CAMPAIGN_CONTROLS,
        advisoryIds: [],
        scope: { filter: { kind: 'component' } },
        entityRefs: entities.map(e => e.entityRef),
        deadline: new Date(now.getTime() + 30 * 86400_000).toISOString(),
        startedBy: 'user:default/bench',
      },
      now,
    });
    if (db === 'pg') await opened.knex.raw('ANALYZE');
    log(
      `seeded: ${campaign.progress.items} items, ${campaign.progress.done} done`,
    );
    const list = await median(() =>
      store.listCampaigns({ status: 'active', limit: 50, offset: 0, now }),
    );
    const owners = await median(() => store.getCampaign(campaign.id, now));
    const entity = await median(() =>
      store.listEntityCampaigns(entities[size - 1].entityRef, now),
    );
    const start = performance.now();
    await store.archiveCampaign({ id: campaign.id, endedBy: 'manager', now });
    const archive = performance.now() - start;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    process.stdout.write(
      `${opened.label}, ${size} entities (${campaign.progress.items} items): ` +
        `list ${ms(list)}, per owner ${ms(owners)}, one entity ${ms(
          entity,
        )}, archive ${ms(archive)}\n`,
    );
  } finally {
    await opened.dispose();
  }
}

/** Runs the campaign benchmark for each database and size. */
export async function benchCampaigns(deps: CampaignBenchDeps): Promise<void> {
  for (const db of deps.dbs) {
    for (const size of deps.sizes) {
      await benchOne(db, size, deps);
    }
  }
}
