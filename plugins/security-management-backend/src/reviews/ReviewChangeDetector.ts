import {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ReviewTrigger } from '@open-itsm/plugin-security-management-common';
import { DatabaseReviewFactsStore } from './DatabaseReviewFactsStore';
import { ChangedFacts, ReviewFactsStore, SeenFacts } from './ReviewFactsStore';
import {
  detectChanges,
  ownRef,
  parseFacts,
  readReviewTriggers,
  reviewFactsOf,
  serializeFacts,
  tier1RefsOf,
} from './reviewTriggers';

const BY_REFS_BATCH = 500;
const TIER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

/** What one pass of change detection did. */
export interface ReviewChangeResult {
  /** Entities seen for the first time: their facts stored, no change. */
  added: number;
  /** Entities whose facts changed (with or without a reason). */
  changed: number;
  /** Reasons recorded: changes that require a review. */
  reasons: number;
}

/**
 * Notices security-relevant changes in the catalog: on each catalog sync it
 * compares every synced entity's facts (lifecycle, owner, risk tier,
 * tier-1 dependencies, provided APIs) with those stored at the previous
 * sync, and records the changes of the enabled triggers, which make the
 * entity's review required until a review done after them. All stored
 * facts are read in one query and compared in memory; only new and
 * changed entities are written, so an unchanged catalog costs one read.
 */
export class ReviewChangeDetector {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #store: ReviewFactsStore;
  readonly #triggers: ReadonlySet<ReviewTrigger>;
  readonly #logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    store: ReviewFactsStore;
    triggers: ReadonlySet<ReviewTrigger>;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#store = options.store;
    this.#triggers = options.triggers;
    this.#logger = options.logger;
  }

  /**
   * The lower-case refs of the risk-tier-1 entities among the `dependsOn`
   * targets of the synced entities: those synced are known already; the
   * others (resources without controls, mostly) are read by ref, in
   * batches.
   */
  async #tier1Targets(entities: Entity[]): Promise<Set<string>> {
    const synced = new Set(entities.map(ownRef));
    const tier1 = tier1RefsOf(entities);
    const unknown = new Set<string>();
    for (const entity of entities) {
      for (const relation of entity.relations ?? []) {
        if (
          relation.type === 'dependsOn' &&
          !synced.has(relation.targetRef.toLowerCase())
        ) {
          unknown.add(relation.targetRef);
        }
      }
    }
    if (unknown.size === 0) return tier1;
    const credentials = await this.#auth.getOwnServiceCredentials();
    const refs = [...unknown];
    for (let i = 0; i < refs.length; i += BY_REFS_BATCH) {
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: refs.slice(i, i + BY_REFS_BATCH), fields: TIER_FIELDS },
        { credentials },
      );
      for (const ref of tier1RefsOf(
        items.filter((item): item is Entity => Boolean(item)),
      )) {
        tier1.add(ref);
      }
    }
    return tier1;
  }

  /**
   * Compares the synced entities (as read from the catalog, with their
   * relations) with their stored facts and records what changed.
   */
  async detect(options: {
    entities: Entity[];
    now: Date;
  }): Promise<ReviewChangeResult> {
    if (this.#triggers.size === 0) return { added: 0, changed: 0, reasons: 0 };
    const [tier1Refs, stored] = await Promise.all([
      this.#tier1Targets(options.entities),
      this.#store.getAllFacts(),
    ]);
    const added: SeenFacts[] = [];
    const changed: ChangedFacts[] = [];
    const owners = new Map<string, string | undefined>();
    for (const entity of options.entities) {
      const entityRef = ownRef(entity);
      const current = reviewFactsOf(entity, tier1Refs, owners);
      const facts = serializeFacts(current);
      const previous = stored.get(entityRef);
      if (previous === undefined) {
        added.push({ entityRef, facts });
      } else if (previous !== facts) {
        changed.push({
          entityRef,
          facts,
          previous,
          changes: detectChanges({
            previous: parseFacts(previous),
            current,
            triggers: this.#triggers,
          }),
        });
      }
    }
    const result = await this.#store.recordFacts({
      added,
      changed,
      now: options.now,
    });
    if (result.changed || result.reasons) {
      this.#logger.info(
        `Review change detection: ${result.added} entities first seen, ${result.changed} changed, ${result.reasons} changes that require a review`,
      );
    }
    return result;
  }
}

/**
 * The detector the plugin runs on every catalog sync, with the triggers of
 * `securityManagement.reviews.triggers` (an unknown one stops the backend
 * at start).
 */
export async function createReviewChangeDetector(options: {
  database: DatabaseService;
  catalog: CatalogService;
  auth: AuthService;
  config: Config;
  logger: LoggerService;
}): Promise<ReviewChangeDetector> {
  return new ReviewChangeDetector({
    catalog: options.catalog,
    auth: options.auth,
    store: await DatabaseReviewFactsStore.create(options),
    triggers: readReviewTriggers(options.config),
    logger: options.logger,
  });
}
