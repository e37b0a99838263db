/*
 * Benchmark of reviews that notice change: the catalog sync of N entities
 * with and without change detection, on SQLite and PostgreSQL. The catalog
 * holds the controls, N components (each with 12 control relations, an
 * owner, a lifecycle, a risk tier, a dependency and a provided API) and
 * tier-1 resources, served by an indexed stub (as the catalog serves its
 * search table) rather than the catalog mock, which filters every entity
 * again for every page: its cost would hide what the sync itself costs.
 *
 *   yarn bench --only review-triggers --sizes 10000 --db sqlite,pg
 *
 * Figures: the first sync with detection (every entity's facts stored),
 * then rounds alternating a sync without and one with detection (nothing
 * changed: the steady state the floor is about), and a sync after 1 % of
 * the entities changed (reasons recorded).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  REVIEW_TRIGGERS,
  SECURITY_CONTROL_API_VERSION,
} from '@open-itsm/plugin-security-management-common';
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { CatalogSync } from '../src/applicability/CatalogSync';
import { createSecurityStores } from '../src/database';
import { DatabaseReviewFactsStore } from '../src/reviews/DatabaseReviewFactsStore';
import { ReviewChangeDetector } from '../src/reviews/ReviewChangeDetector';
import { benchControls, benchEntities } from './seed';

type DbId = 'sqlite' | 'pg';

/** What run.ts hands over. */
export interface ReviewTriggerBenchDeps {
  dbs: DbId[];
  sizes: number[];
  openDatabase(
    db: DbId,
    size: number,
  ): Promise<{ knex: Knex; label: string; dispose(): Promise<void> }>;
}

const ROUNDS = 5;
const RESOURCES = 100;
const FLOOR = 1.2;

/** The catalog as the catalog module leaves it, for `size` components. */
function benchCatalog(size: number): { entities: Entity[]; changed: Entity[] } {
  const controls: Entity[] = benchControls().map(control => ({
    apiVersion: SECURITY_CONTROL_API_VERSION,
    kind: 'SecurityControl',
    metadata: { name: control.ref.split('/')[1], namespace: 'default' },
    spec: {
      owner: control.owner,
      category: control.category,
      criticality: control.criticality,
      testing: { cadence: control.cadence, method: control.method },
    },
  }));
  const resources: Entity[] = Array.from({ length: RESOURCES }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `bench-db-${i}`,
      namespace: 'default',
      annotations: {
        'security.open-itsm.dev/risk-tier': String(1 + (i % 3)),
      },
    },
    spec: { type: 'database', owner: 'group:default/platform' },
  }));
  const components: Entity[] = benchEntities(size).map((stored, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: stored.entityRef.split('/')[1],
      namespace: 'default',
      title: stored.title,
      annotations: {
        'security.open-itsm.dev/risk-tier': String(
          Math.min(3, stored.riskTier),
        ),
      },
    },
    spec: {
      type: 'service',
      lifecycle: i % 2 ? 'production' : 'experimental',
      owner: stored.owner,
      system: stored.system,
    },
    relations: [
      ...stored.controlRefs.map(targetRef => ({
        type: 'hasSecurityControl',
        targetRef,
      })),
      {
        type: 'dependsOn',
        targetRef: `resource:default/bench-db-${i % RESOURCES}`,
      },
      { type: 'providesApi', targetRef: `api:default/bench-api-${i}` },
    ],
  }));
  // 1 % of the components, to change between two syncs.
  const changed = components.filter((_, i) => i % 100 === 0);
  return { entities: [...controls, ...resources, ...components], changed };
}

/** Whether an entity matches the kinds of filter CatalogSync sends. */
function matches(
  entity: Entity,
  filter: Record<string, unknown> | Array<Record<string, unknown>>,
): boolean {
  // A list of filters matches when any of them does.
  if (Array.isArray(filter)) return filter.some(f => matches(entity, f));
  return Object.entries(filter).every(([key, value]) => {
    const lower = key.toLowerCase();
    if (lower === 'kind') {
      return entity.kind.toLowerCase() === String(value).toLowerCase();
    }
    if (lower.startsWith('relations.')) {
      const type = lower.slice('relations.'.length);
      return (entity.relations ?? []).some(r => r.type.toLowerCase() === type);
    }
    if (lower === 'spec.domain') return Boolean(entity.spec?.domain);
    throw new Error(`The bench catalog does not filter on ${key}`);
  });
}

/**
 * The part of the catalog API the sync uses, over an in-memory list: each
 * filter is evaluated once and its pages served from the result, and
 * by-ref reads are map lookups.
 */
function indexedCatalog(entities: Entity[]): CatalogService {
  const byFilter = new Map<string, Entity[]>();
  const byRef = new Map(
    entities.map(entity => [
      `${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`.toLowerCase(),
      entity,
    ]),
  );
  const page = (key: string, offset: number, limit: number) => {
    const items = byFilter.get(key)!;
    const next = offset + limit;
    return {
      items: items.slice(offset, next),
      totalItems: items.length,
      pageInfo: {
        nextCursor:
          next < items.length
            ? JSON.stringify({ key, offset: next })
            : undefined,
      },
    };
  };
  const catalog = {
    async queryEntities(request: any) {
      const limit = request.limit ?? 500;
      if (request.cursor) {
        const { key, offset } = JSON.parse(request.cursor);
        return page(key, offset, limit);
      }
      const filter = request.filter ?? {};
      const key = JSON.stringify(filter, (_k, v) =>
        typeof v === 'symbol' ? 'EXISTS' : v,
      );
      if (!byFilter.has(key)) {
        byFilter.set(
          key,
          entities.filter(entity => matches(entity, filter)),
        );
      }
      return page(key, 0, limit);
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return {
        items: request.entityRefs.map(ref => byRef.get(ref.toLowerCase())),
      };
    },
  };
  return catalog as unknown as CatalogService;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

export async function benchReviewTriggers(
  deps: ReviewTriggerBenchDeps,
): Promise<void> {
  const lines = [
    `Catalog sync with and without change detection (${new Date().toISOString()}), median of ${ROUNDS} alternating rounds`,
    '',
    '| DB | entities | sync without detection | sync with detection (no change) | ratio | detection alone | first sync with detection (facts stored) | sync with detection, 1 % changed (reasons) | result (< 1.2×) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const db of deps.dbs) {
    for (const size of deps.sizes) {
      const database = await deps.openDatabase(db, size);
      try {
        const services = mockServices.database({ knex: database.knex });
        const stores = await createSecurityStores({ database: services });
        const { entities, changed } = benchCatalog(size);
        const catalog = indexedCatalog(entities);
        const auth = mockServices.auth({ pluginId: 'security-management' });
        const logger = mockServices.rootLogger({ level: 'warn' });
        const detector = new ReviewChangeDetector({
          catalog,
          auth,
          store: await DatabaseReviewFactsStore.create({ database: services }),
          triggers: new Set(REVIEW_TRIGGERS),
          logger,
        });
        const plain = new CatalogSync({
          catalog,
          auth,
          store: stores.applicability,
          logger,
        });
        const detecting = new CatalogSync({
          catalog,
          auth,
          store: stores.applicability,
          logger,
          reviewChanges: detector,
        });
        // The first snapshot, then the first sight of every entity.
        await plain.run();
        const first = await timed(() => detecting.run());

        const without: number[] = [];
        const withDetection: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          without.push(await timed(() => plain.run()));
          withDetection.push(await timed(() => detecting.run()));
        }
        const synced = entities.filter(e => e.kind === 'Component');
        const alone: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          alone.push(
            await timed(() =>
              detector.detect({ entities: synced, now: new Date() }),
            ),
          );
        }
        for (const entity of changed) {
          entity.spec!.lifecycle = 'production';
          entity.spec!.owner = 'group:default/new-owner';
        }
        const withChanges = await timed(() => detecting.run());
        const reasons = Number(
          (await database.knex('review_triggers').count({ n: '*' }))[0].n,
        );

        const base = median(without);
        const detected = median(withDetection);
        const ratio = detected / base;
        lines.push(
          `| ${database.label} | ${size.toLocaleString('en-US')} | ${ms(
            base,
          )} | ${ms(detected)} | ${ratio.toFixed(2)}× | ${ms(
            median(alone),
          )} | ${ms(first)} | ${ms(withChanges)} (${reasons} reasons) | ${
            ratio < FLOOR ? 'PASS' : 'FAIL'
          } |`,
        );
      } finally {
        await database.dispose();
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
