import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventParams } from '@backstage/plugin-events-node';
import {
  ControlFailureKind,
  ControlNotInEffect,
  isSecurityControlEntity,
  SECURITY_CONTROL_KIND,
  securityControlProblems,
} from '@open-itsm/plugin-security-management-common';
import { CatalogProblem, CatalogProblemStore } from './CatalogProblemStore';

/*
 * The catalog's event topics, as @backstage/plugin-catalog-backend names
 * them (CATALOG_ERRORS_TOPIC, CATALOG_CONFLICTS_TOPIC); a plugin does not
 * depend on the catalog backend for two strings.
 */
/** Published on every processing attempt that ends with errors. */
export const CATALOG_ERRORS_TOPIC = 'experimental.catalog.errors';
/** Published when a location emits an entity another location holds. */
export const CATALOG_CONFLICTS_TOPIC = 'experimental.catalog.conflict';

const ENTITY_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

const MIN_ERROR_RETENTION_MS = 10 * 60 * 1000;
const DEFAULT_MAX_PROCESSING_INTERVAL_MS = 150 * 1000;

/**
 * How long a recorded catalog error counts without being reported again.
 * The catalog re-processes a failing entity, and reports it again, every
 * processing interval (`catalog.processingInterval`, randomised up to 1.5×
 * the configured value; 100–150 s by default); three of them, and at least
 * ten minutes, allow for a busy catalog.
 */
export function catalogErrorRetentionMs(config: Config): number {
  let maxIntervalMs = DEFAULT_MAX_PROCESSING_INTERVAL_MS;
  if (config.has('catalog.processingInterval')) {
    try {
      maxIntervalMs =
        1.5 *
        durationToMilliseconds(
          readDurationFromConfig(config, { key: 'catalog.processingInterval' }),
        );
    } catch {
      // `false` (processing off) or a value the catalog itself rejects.
    }
  }
  return Math.max(MIN_ERROR_RETENTION_MS, 3 * maxIntervalMs);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function kindOfRef(ref: string): string {
  const colon = ref.indexOf(':');
  return colon > 0 ? lower(ref.slice(0, colon)) : '';
}

function nameOfRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

const CONTROL_KIND = lower(SECURITY_CONTROL_KIND);
const LOCATION_KIND = 'location';

/**
 * The message of an error as the catalog hands it over. In the same
 * process it is an Error; through an event bus it has been through JSON,
 * which drops an Error's message, so say that rather than nothing.
 */
function messageOf(error: unknown): string {
  if (isRecord(error) || error instanceof Error) {
    const record = error as Record<string, unknown>;
    const message = stringOf(record.message);
    if (message) return message;
    return `${
      stringOf(record.name) ?? 'Error'
    } (the catalog's report carried no message)`;
  }
  return stringOf(error) ?? "Error (the catalog's report carried no message)";
}

/** The kind of failure a catalog processing error stands for. */
export function classifyCatalogError(
  refKind: string,
  message: string,
): ControlFailureKind {
  if (refKind === LOCATION_KIND) return 'unreadable-location';
  if (message.startsWith('Invalid SecurityControl ')) {
    return 'invalid-definition';
  }
  if (/apiVersion '[^']*' is not supported for SecurityControl/.test(message)) {
    return 'unsupported-version';
  }
  if (message.startsWith('Policy check failed')) return 'invalid-metadata';
  if (message.startsWith('No processor recognized the entity')) {
    return 'unrecognized-kind';
  }
  return 'processing-error';
}

/**
 * A catalog error message put for a reader: its innermost cause (the
 * catalog wraps each cause as "…; caused by Error: …"), without the YAML
 * excerpt, the catalog's link to its file format or the entity ref that
 * the answer names anyway.
 */
export function readableCatalogError(message: string): string {
  const causes = message.split(/; caused by (?:[A-Za-z]*Error: )?/);
  const text = causes[causes.length - 1]
    .split('\n\n')[0]
    .replace(/\s*To learn more about catalog file format, visit: \S+/, '')
    .replace(/^Invalid SecurityControl \S+: /, '')
    .trim()
    .replace(/:$/, '');
  return text || message.trim();
}

function describeErrors(
  refKind: string,
  messages: string[],
): { failure: ControlFailureKind; reason: string } {
  const kinds = messages.map(message => classifyCatalogError(refKind, message));
  return {
    failure: kinds.find(kind => kind !== 'processing-error') ?? kinds[0],
    reason: messages.map(readableCatalogError).join('; '),
  };
}

/** The messages of an entity's processing errors, as the catalog stitched them. */
function processingErrorsOf(entity: Entity): string[] {
  const items = (entity as { status?: { items?: unknown } }).status?.items;
  if (!Array.isArray(items)) return [];
  return items
    .filter(
      item =>
        isRecord(item) &&
        item.type === ENTITY_STATUS_CATALOG_PROCESSING_TYPE &&
        item.level === 'error',
    )
    .map(item => {
      const error = (item as Record<string, unknown>).error;
      return isRecord(error)
        ? messageOf(error)
        : stringOf((item as Record<string, unknown>).message) ?? 'Error';
    });
}

/**
 * Every control the catalog was given that is not in effect, from the
 * catalog's own records:
 *
 * - SecurityControl and Location entities whose processing errors the
 *   catalog stitched into `status.items` (read through the catalog API);
 * - the catalog's error events for controls and locations it could not
 *   store at all (a new entity that fails is in no table the catalog API
 *   serves), and its conflict events for controls that another location
 *   already holds. These are recorded as they come, in the plugin's
 *   database, so every replica answers the same.
 */
export class ControlsNotInEffect {
  /** The catalog event topics to subscribe to. */
  static readonly topics = [CATALOG_ERRORS_TOPIC, CATALOG_CONFLICTS_TOPIC];

  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #store: CatalogProblemStore;
  readonly #logger: LoggerService;
  readonly #errorRetentionMs: number;
  #lastPruneAt = 0;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    store: CatalogProblemStore;
    logger: LoggerService;
    /** See {@link catalogErrorRetentionMs}. */
    errorRetentionMs: number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#errorRetentionMs = options.errorRetentionMs;
  }

  /**
   * Records a catalog event about a control or a location; ignores events
   * about other entities.
   */
  async record(event: EventParams, now = new Date()): Promise<void> {
    const problem = this.#problemOf(event, now);
    if (problem) {
      await this.#store.recordCatalogProblem(problem);
    }
    if (now.getTime() - this.#lastPruneAt >= this.#errorRetentionMs) {
      this.#lastPruneAt = now.getTime();
      const forgotten = await this.#store.forgetCatalogProblems({
        errorsReportedBefore: new Date(now.getTime() - this.#errorRetentionMs),
      });
      if (forgotten) {
        this.#logger.debug(
          `Forgot ${forgotten} catalog errors no longer reported`,
        );
      }
    }
  }

  #problemOf(event: EventParams, now: Date): CatalogProblem | undefined {
    const payload = event.eventPayload;
    if (!isRecord(payload)) return undefined;
    if (event.topic === CATALOG_ERRORS_TOPIC) {
      const entityRef = stringOf(payload.entity);
      if (!entityRef) return undefined;
      const kind = kindOfRef(entityRef);
      if (kind !== CONTROL_KIND && kind !== LOCATION_KIND) return undefined;
      const errors = Array.isArray(payload.errors) ? payload.errors : [];
      return {
        type: 'error',
        entityRef,
        location: stringOf(payload.location),
        messages: errors.length ? errors.map(messageOf) : ['Error'],
        reportedAt: now,
      };
    }
    if (event.topic === CATALOG_CONFLICTS_TOPIC) {
      const entityRef = stringOf(payload.entityRef);
      if (!entityRef || kindOfRef(entityRef) !== CONTROL_KIND) {
        return undefined;
      }
      const entity = isRecord(payload.unprocessedEntity)
        ? payload.unprocessedEntity
        : {};
      const metadata = isRecord(entity.metadata) ? entity.metadata : {};
      const annotations = isRecord(metadata.annotations)
        ? metadata.annotations
        : {};
      const at = stringOf(payload.lastConflictAt);
      const reportedAt = at ? new Date(at) : now;
      return {
        type: 'conflict',
        entityRef,
        name: stringOf(metadata.title) ?? stringOf(metadata.name),
        location: stringOf(payload.newLocationKey),
        originLocation: stringOf(annotations[ANNOTATION_ORIGIN_LOCATION]),
        conflictingLocation: stringOf(payload.existingLocationKey),
        messages: [],
        reportedAt: Number.isNaN(reportedAt.getTime()) ? now : reportedAt,
      };
    }
    return undefined;
  }

  async #readAll(kind: string): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    for await (const page of this.#catalog.streamEntities(
      { filter: { kind }, fields: ENTITY_FIELDS },
      { credentials },
    )) {
      entities.push(...page);
    }
    return entities;
  }

  /** Every control not in effect, by location, then ref. */
  async list(now = new Date()): Promise<ControlNotInEffect[]> {
    const [controls, locations, problems] = await Promise.all([
      this.#readAll(SECURITY_CONTROL_KIND),
      this.#readAll('Location'),
      this.#store.listCatalogProblems(),
    ]);
    const items: ControlNotInEffect[] = [];
    const inCatalog = new Map<string, Entity>();

    for (const entity of [...controls, ...locations]) {
      const ref = lower(stringifyEntityRef(entity));
      inCatalog.set(ref, entity);
      const messages = processingErrorsOf(entity);
      if (messages.length) {
        items.push(this.#fromEntity(ref, entity, messages));
      }
    }

    const endedConflicts: Array<{ entityRef: string; location?: string }> = [];
    const oldest = now.getTime() - this.#errorRetentionMs;
    for (const problem of problems) {
      const ref = lower(problem.entityRef);
      const held = inCatalog.get(ref);
      if (problem.type === 'error') {
        // An entity in the catalog speaks for itself, errors or none.
        if (held || problem.reportedAt.getTime() < oldest) continue;
        items.push(this.#fromErrorEvent(ref, problem));
        continue;
      }
      // The catalog never reports that a conflict ended; it has when the
      // losing location now holds the entity, or the entity left the
      // catalog. Right after a conflict the kept entity may not be stored
      // yet, so only an absence that lasts counts.
      const heldAt = held?.metadata.annotations?.[ANNOTATION_LOCATION];
      const gone = !held && problem.reportedAt.getTime() < oldest;
      if (gone || (problem.location && heldAt === problem.location)) {
        endedConflicts.push({
          entityRef: problem.entityRef,
          location: problem.location,
        });
        continue;
      }
      items.push(this.#fromConflict(ref, problem));
    }
    if (endedConflicts.length) {
      await this.#store.forgetCatalogProblems({
        errorsReportedBefore: new Date(oldest),
        conflicts: endedConflicts,
      });
    }

    return items.sort(
      (a, b) =>
        (a.location ?? '').localeCompare(b.location ?? '') ||
        a.ref.localeCompare(b.ref),
    );
  }

  #fromEntity(
    ref: string,
    entity: Entity,
    messages: string[],
  ): ControlNotInEffect {
    const isLocation = kindOfRef(ref) === LOCATION_KIND;
    const annotations = entity.metadata.annotations ?? {};
    const { failure, reason } = describeErrors(kindOfRef(ref), messages);
    // A control that was processed before keeps its last good version in
    // the catalog; what the file says now is what is not in effect.
    const keepsLastVersion =
      !isLocation &&
      isSecurityControlEntity(entity) &&
      securityControlProblems(entity).length === 0;
    const target = stringOf(entity.spec?.target);
    return {
      ref,
      name: isLocation
        ? target ?? entity.metadata.name
        : entity.metadata.title ?? entity.metadata.name,
      failure,
      reason: keepsLastVersion
        ? `${reason}. This version is not in effect; the catalog keeps the last version it could process`
        : reason,
      location: stringOf(annotations[ANNOTATION_LOCATION]),
      originLocation: stringOf(annotations[ANNOTATION_ORIGIN_LOCATION]),
      source: 'catalog-entity',
    };
  }

  #fromErrorEvent(ref: string, problem: CatalogProblem): ControlNotInEffect {
    const kind = kindOfRef(ref);
    const { failure, reason } = describeErrors(kind, problem.messages);
    return {
      ref,
      name:
        kind === LOCATION_KIND && problem.location
          ? problem.location.replace(/^[a-z]+:/, '')
          : nameOfRef(ref),
      failure,
      reason,
      location: problem.location,
      source: 'catalog-event',
      reportedAt: problem.reportedAt.toISOString(),
    };
  }

  #fromConflict(ref: string, problem: CatalogProblem): ControlNotInEffect {
    return {
      ref,
      name: problem.name ?? nameOfRef(ref),
      failure: 'conflict',
      reason: `${ref} is also defined in ${
        problem.conflictingLocation ?? 'another location'
      }, which the catalog read first and keeps; this definition is ignored. Rename one of them or remove the duplicate`,
      location: problem.location,
      originLocation: problem.originLocation,
      conflictingLocation: problem.conflictingLocation,
      source: 'catalog-event',
      reportedAt: problem.reportedAt.toISOString(),
    };
  }
}
