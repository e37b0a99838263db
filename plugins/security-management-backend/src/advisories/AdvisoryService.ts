import {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  addDuration,
  AdvisoryFeed,
  AdvisoryMatch,
  AdvisoryRefreshResult,
  ANNOTATION_KEV_PRODUCTS,
  ANNOTATION_PURLS,
  ANNOTATION_SBOM,
  EntityAdvisories,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';
import { readAllEntities } from '../lib/readCatalog';
import { AdvisoryFeedStore, FeedConfig } from './AdvisoryFeedStore';
import {
  AdvisoryFindingStore,
  CurrentMatch,
  EntityMatchResult,
  OpenedFinding,
} from './AdvisoryFindingStore';
import { chunk } from '../lib/rows';
import { AdvisorySettings } from './config';
import { AdvisoryIndex, KnownExploited, ParsedAdvisory } from './matching';
import { EntityMatcher, inProcessMatcher } from './entityMatcher';
import { fetchEntitySources } from './readComponents';
import { readFeed } from './readFeed';

/** An entity on which a known exploited vulnerability was just found. */
export interface KnownExploitedFinding {
  entityRef: string;
  lifecycle?: string;
  advisory: ParsedAdvisory;
  kev: KnownExploited;
}

/** Told of new findings of known exploited vulnerabilities (alert rules). */
export type KnownExploitedListener = (
  findings: KnownExploitedFinding[],
) => Promise<void>;

const ANNOTATIONS = [
  ANNOTATION_SBOM,
  ANNOTATION_PURLS,
  ANNOTATION_KEV_PRODUCTS,
];
/** SBOMs read at once. */
const READ_CONCURRENCY = 8;
/** Entities matched while the batch before them is written. */
const PIPELINE_BATCH = 500;

/** One entity's match, or the note that it was unchanged and skipped. */
type MatchedEntity = EntityMatchResult & {
  fingerprint?: string;
  skipped?: boolean;
};

interface LoadedIndex {
  version: string;
  advisories: ParsedAdvisory[];
  index: AdvisoryIndex;
  byId: Map<string, ParsedAdvisory>;
}

function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function mapPool<T, R>(
  items: T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(size, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

/**
 * Reads the advisory feeds, reads what each entity is built from, and keeps
 * one finding per advisory and affected entity. The advisory index is
 * derived from the database and rebuilt whenever the feeds change, so every
 * replica matches against the same advisories.
 */
export class AdvisoryService {
  readonly #feeds: AdvisoryFeedStore;
  readonly #findings: AdvisoryFindingStore;
  readonly #reader: UrlReaderService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #settings: AdvisorySettings;
  readonly #matcher: EntityMatcher;
  readonly #listeners: KnownExploitedListener[] = [];
  #loaded?: Promise<LoadedIndex>;
  /** Due dates by severity for one `now`: a cycle computes each once. */
  #dueCache?: { at: number; bySeverity: Map<string, number> };

  constructor(options: {
    feeds: AdvisoryFeedStore;
    findings: AdvisoryFindingStore;
    reader: UrlReaderService;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    settings: AdvisorySettings;
    /** Where SBOMs are parsed and matched; by default on this thread. */
    matcher?: EntityMatcher;
  }) {
    this.#feeds = options.feeds;
    this.#findings = options.findings;
    this.#reader = options.reader;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#settings = options.settings;
    this.#matcher = options.matcher ?? inProcessMatcher;
  }

  /** Calls the listener with every new finding of a known exploited vulnerability. */
  onKnownExploited(listener: KnownExploitedListener): void {
    this.#listeners.push(listener);
  }

  /** Reads every configured feed; one that fails keeps its previous state. */
  async refreshFeeds(now: Date): Promise<AdvisoryFeed[]> {
    await this.#feeds.configureFeeds(this.#settings.feeds);
    const results: AdvisoryFeed[] = [];
    for (const feed of this.#settings.feeds) {
      results.push(await this.#refreshFeed(feed, now));
    }
    return results;
  }

  async #refreshFeed(feed: FeedConfig, now: Date): Promise<AdvisoryFeed> {
    try {
      const parsed = await readFeed(this.#reader, feed);
      const stored = await this.#feeds.replaceFeed({
        feedId: feed.id,
        advisories: parsed.advisories,
        warnings: parsed.warnings,
        now,
      });
      this.#logger.info(
        `Advisory feed ${feed.id}: ${stored.advisoryCount} advisories`,
      );
      return stored;
    } catch (error) {
      const reason = errorMessage(error);
      this.#logger.warn(
        `Advisory feed ${feed.id} could not be read: ${reason}`,
      );
      return this.#feeds.recordFeedFailure({
        feedId: feed.id,
        error: reason,
        now,
      });
    }
  }

  /** The advisory index of the stored feeds, rebuilt when they changed. */
  async #index(): Promise<LoadedIndex> {
    const version = await this.#feeds.version();
    const current = await this.#loaded?.catch(() => undefined);
    if (current && current.version === version) return current;
    this.#loaded = (async () => {
      const stored = await this.#feeds.loadAdvisories();
      const advisories = stored.map(entry => entry.advisory);
      return {
        version,
        advisories,
        index: new AdvisoryIndex(advisories),
        byId: new Map(advisories.map(advisory => [advisory.id, advisory])),
      };
    })();
    return this.#loaded;
  }

  /** The due date of a finding of this severity first seen now (millis). */
  #dueBySeverity(severity: ParsedAdvisory['severity'], now: Date): number {
    const at = now.getTime();
    if (this.#dueCache?.at !== at) {
      this.#dueCache = { at, bySeverity: new Map() };
    }
    let due = this.#dueCache.bySeverity.get(severity);
    if (due === undefined) {
      due = Date.parse(
        addDuration(now, this.#settings.dueBySeverity[severity]),
      );
      this.#dueCache.bySeverity.set(severity, due);
    }
    return due;
  }

  #dueAt(advisory: ParsedAdvisory, kev: KnownExploited | undefined, now: Date) {
    const kevDueAt = kev?.dueDate
      ? Date.parse(`${kev.dueDate}T23:59:59.999Z`)
      : undefined;
    const bySeverity = this.#dueBySeverity(advisory.severity, now);
    return {
      dueAt:
        kevDueAt !== undefined && Number.isFinite(kevDueAt)
          ? kevDueAt
          : bySeverity,
      kevDueAt: Number.isFinite(kevDueAt) ? kevDueAt : undefined,
    };
  }

  async #matchEntity(
    entity: Entity,
    loaded: LoadedIndex,
    now: Date,
    fingerprints?: Map<string, string>,
  ): Promise<MatchedEntity> {
    const entityRef = ownRef(entity);
    const lifecycle = entity.spec?.lifecycle;
    const fetched = await fetchEntitySources({
      entity,
      entityRef,
      reader: this.#reader,
      now,
      // What else decides the findings: the advisories, owner and title.
      context: [
        loaded.version,
        String(entity.spec?.owner ?? ''),
        entity.metadata.title ?? '',
        typeof lifecycle === 'string' ? lifecycle : '',
      ].join('\u0000'),
    });
    if (
      fetched.sbom?.error === undefined &&
      fingerprints?.get(entityRef) === fetched.fingerprint
    ) {
      return {
        entityRef,
        sources: [],
        current: [],
        complete: true,
        skipped: true,
      };
    }
    const read = await this.#matcher.match(loaded, fetched);
    const reasons = read.reasons;
    const byAdvisory = new Map<string, AdvisoryMatch[]>();
    for (const reason of reasons) {
      const list = byAdvisory.get(reason.advisoryId) ?? [];
      list.push({
        ecosystem: reason.ecosystem,
        package: reason.package,
        purl: reason.purl,
        installedVersion: reason.installedVersion,
        affectedRange: reason.affectedRange,
        source: reason.source,
      });
      byAdvisory.set(reason.advisoryId, list);
    }
    const current: CurrentMatch[] = [];
    for (const [advisoryId, matches] of byAdvisory) {
      const advisory = loaded.byId.get(advisoryId);
      if (!advisory) continue;
      const kev =
        advisory.knownExploited ?? loaded.index.knownExploitedFor(advisoryId);
      current.push({
        advisoryId,
        severity: advisory.severity,
        kev,
        matches,
        ...this.#dueAt(advisory, kev, now),
      });
    }
    const owner =
      typeof entity.spec?.owner === 'string'
        ? normalizeEntityRef(entity.spec.owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace,
          })
        : undefined;
    return {
      entityRef,
      title: entity.metadata.title,
      owner,
      sources: read.sources,
      current,
      complete: read.complete,
      fingerprint: fetched.fingerprint,
    };
  }

  /**
   * Reads and matches the entities, skipping those unchanged since they
   * were last matched, writes their findings, then records what they were
   * matched with.
   */
  async #matchAndSync(
    entities: Entity[],
    loaded: LoadedIndex,
    now: Date,
    fingerprints?: Map<string, string>,
  ) {
    const totals = { opened: [] as OpenedFinding[], resolved: 0 };
    let matched = 0;
    // Entities are read and matched a batch at a time while the previous
    // batch is written: the database works (on PostgreSQL, in its own
    // process) while this process parses and matches.
    let writing: Promise<void> = Promise.resolve();
    for (const batch of chunk(entities, PIPELINE_BATCH)) {
      const results = (
        await mapPool(batch, READ_CONCURRENCY, entity =>
          this.#matchEntity(entity, loaded, now, fingerprints),
        )
      ).filter(result => !result.skipped);
      matched += results.length;
      await writing;
      writing = this.#writeBatch(results, now).then(synced => {
        totals.opened.push(...synced.opened);
        totals.resolved += synced.resolved;
      });
      // A failed write must fail the run, not go unobserved.
      writing.catch(() => {});
    }
    await writing;
    await this.#notify(entities, totals.opened, loaded);
    return { ...totals, matched };
  }

  /** Writes one batch's findings, then what its entities were matched with. */
  async #writeBatch(results: MatchedEntity[], now: Date) {
    const synced = await this.#findings.syncEntities({ results, now });
    await this.#findings.saveFingerprints({
      fingerprints: results.flatMap(result =>
        result.complete && result.fingerprint
          ? [{ entityRef: result.entityRef, fingerprint: result.fingerprint }]
          : [],
      ),
      now,
    });
    return synced;
  }

  async #notify(
    entities: Entity[],
    opened: Array<{
      entityRef: string;
      advisoryId: string;
      knownExploited: boolean;
    }>,
    loaded: LoadedIndex,
  ): Promise<void> {
    const exploited = opened.filter(finding => finding.knownExploited);
    if (!exploited.length || !this.#listeners.length) return;
    const byRef = new Map(entities.map(entity => [ownRef(entity), entity]));
    const findings: KnownExploitedFinding[] = [];
    for (const finding of exploited) {
      const advisory = loaded.byId.get(finding.advisoryId);
      const kev =
        advisory &&
        (advisory.knownExploited ??
          loaded.index.knownExploitedFor(finding.advisoryId));
      if (!advisory || !kev) continue;
      const lifecycle = byRef.get(finding.entityRef)?.spec?.lifecycle;
      findings.push({
        entityRef: finding.entityRef,
        lifecycle: typeof lifecycle === 'string' ? lifecycle : undefined,
        advisory,
        kev,
      });
    }
    for (const listener of this.#listeners) {
      try {
        await listener(findings);
      } catch (error) {
        this.#logger.error(
          `Known-exploited listener failed: ${errorMessage(error)}`,
        );
      }
    }
  }

  /** Entities that declare components, read from the catalog. */
  async #declaringEntities(): Promise<Entity[]> {
    const byRef = new Map<string, Entity>();
    for (const annotation of ANNOTATIONS) {
      const entities = await readAllEntities({
        catalog: this.#catalog,
        auth: this.#auth,
        filter: {
          [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
        },
      });
      for (const entity of entities) byRef.set(ownRef(entity), entity);
    }
    return [...byRef.values()];
  }

  /**
   * The whole cycle, as the schedule runs it: every feed, then every entity
   * that declares components, matched and written.
   */
  async refreshAll(now = new Date()): Promise<AdvisoryRefreshResult> {
    const feeds = await this.refreshFeeds(now);
    const loaded = await this.#index();
    const entities = await this.#declaringEntities();
    const { opened, resolved, matched } = await this.#matchAndSync(
      entities,
      loaded,
      now,
      await this.#findings.loadFingerprints(),
    );
    const forgotten = await this.#findings.forgetEntitiesExcept({
      entityRefs: new Set(entities.map(ownRef)),
      now,
    });
    return {
      feeds,
      entitiesMatched: matched,
      findingsOpened: opened.length,
      findingsResolved: resolved + forgotten,
    };
  }

  /**
   * Matches the entities that declare components but were never read (new
   * in the catalog since the last full cycle), once the feeds have been
   * read: so a new service is matched within minutes, not at the next
   * full cycle.
   */
  async matchNewEntities(now = new Date()): Promise<number> {
    const feeds = await this.#feeds.listFeeds();
    if (!feeds.some(feed => feed.status === 'ok')) return 0;
    const known = await this.#findings.listSourceEntityRefs();
    const entities = (await this.#declaringEntities()).filter(
      entity => !known.has(ownRef(entity)),
    );
    if (!entities.length) return 0;
    const loaded = await this.#index();
    const { matched } = await this.#matchAndSync(entities, loaded, now);
    return matched;
  }

  /** Reads one entity's components again now and brings its findings up to date. */
  async refreshEntity(entityRef: string, now = new Date()): Promise<void> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    await this.#matchAndSync([entity], await this.#index(), now);
  }

  /** One entity's findings and component sources. */
  async getEntityAdvisories(options: {
    entityRef: string;
    all: boolean;
    now: Date;
  }): Promise<EntityAdvisories> {
    const { entityRef, all, now } = options;
    const query = {
      entityRef,
      limit: 500,
      offset: 0,
      status: all
        ? ([
            'open',
            'acknowledged',
            'mitigated',
            'not-affected',
            'resolved',
          ] as const)
        : undefined,
    };
    const [page, sources] = await Promise.all([
      this.#findings.listEntityFindings(
        { ...query, status: query.status ? [...query.status] : undefined },
        now,
      ),
      this.#findings.listSources(entityRef),
    ]);
    return { entityRef, findings: page.items, sources, counts: page.counts };
  }
}
