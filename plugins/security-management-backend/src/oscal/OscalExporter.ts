import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  OSCAL_DEFAULT_PERIOD_DAYS,
  TestRecord,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { StoredEntity } from '../applicability/ApplicabilityStore';
import { SecurityStores } from '../database';
import {
  AssessmentResultsDocument,
  buildAssessmentResults,
} from './assessmentResults';
import {
  buildComponentDefinition,
  ComponentDefinitionDocument,
} from './componentDefinition';
import { OscalSubject } from './oscalParts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 500;

/** Most test records one assessment-results export holds. */
export const MAX_OSCAL_TEST_RECORDS = 20_000;

/** Where the plugin's API is served, for links between the exports. */
const API_PATH = '/api/security-management';

/**
 * Reads what the OSCAL exports hold through the stores (and the entity's
 * description and type from the catalog, as the caller may see it) and
 * builds them.
 */
export class OscalExporter {
  readonly #stores: Pick<
    SecurityStores,
    'applicability' | 'testing' | 'posture'
  >;
  readonly #catalog: Pick<CatalogService, 'getEntityByRef'>;
  readonly #logger: LoggerService;
  readonly #reviewDueSoon: string;
  readonly #baseUrl?: string;

  constructor(options: {
    stores: Pick<SecurityStores, 'applicability' | 'testing' | 'posture'>;
    catalog: Pick<CatalogService, 'getEntityByRef'>;
    logger: LoggerService;
    /** The review window of posture (does not change control statuses). */
    reviewDueSoon: string;
    /** `backend.baseUrl`, for the link from assessment results to their plan. */
    baseUrl?: string;
  }) {
    this.#stores = options.stores;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#reviewDueSoon = options.reviewDueSoon;
    this.#baseUrl = options.baseUrl?.replace(/\/+$/, '');
  }

  /**
   * The entity's controls as an OSCAL component definition, or undefined
   * when the plugin does not know the entity.
   */
  async componentDefinition(options: {
    entityRef: string;
    credentials: BackstageCredentials;
    now: Date;
  }): Promise<ComponentDefinitionDocument | undefined> {
    const { entityRef, credentials, now } = options;
    const posture = await this.#stores.posture.getEntityPosture({
      entityRef,
      now,
      reviewDueSoon: this.#reviewDueSoon,
      // The export carries no incident figures.
      incidentAccess: { allowed: false },
    });
    if (!posture) return undefined;
    const subject = await this.#subject({ stored: posture, credentials });
    return buildComponentDefinition({
      subject,
      controls: posture.controls ?? [],
      now,
    });
  }

  /**
   * The entity's test records tested in [from, to] as OSCAL assessment
   * results, or undefined when the plugin does not know the entity.
   * Throws an InputError when the period is empty or holds too many records.
   */
  async assessmentResults(options: {
    entityRef: string;
    from?: string;
    to?: string;
    credentials: BackstageCredentials;
    now: Date;
  }): Promise<AssessmentResultsDocument | undefined> {
    const { entityRef, credentials, now } = options;
    const period = periodOf(options);
    const stored = await this.#stores.applicability.getEntity(entityRef);
    if (!stored) return undefined;
    const [subject, records] = await Promise.all([
      this.#subject({ stored, credentials }),
      this.#recordsInPeriod(entityRef, period),
    ]);
    const controls = await this.#stores.applicability.getControls([
      ...new Set(records.map(record => record.controlRef)),
    ]);
    return buildAssessmentResults({
      subject,
      records,
      controls: new Map(controls.map(control => [control.ref, control])),
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      now,
      componentDefinitionUrl: this.#baseUrl
        ? `${
            this.#baseUrl
          }${API_PATH}/oscal/component-definition?entityRef=${encodeURIComponent(
            entityRef,
          )}`
        : undefined,
    });
  }

  /**
   * The entity's records tested in the period, newest first. The store
   * lists newest first; records are never deleted, so a record added while
   * paging can only repeat one already read, which is dropped.
   */
  async #recordsInPeriod(
    entityRef: string,
    period: { from: number; to: number },
  ): Promise<TestRecord[]> {
    const records: TestRecord[] = [];
    const seen = new Set<string>();
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await this.#stores.testing.listTestRecords({
        entityRef,
        limit: PAGE_SIZE,
        offset,
      });
      for (const record of page.items) {
        const testedAt = toMillis(record.testedAt);
        if (testedAt < period.from) return records;
        if (testedAt > period.to || seen.has(record.id)) continue;
        seen.add(record.id);
        records.push(record);
      }
      if (records.length > MAX_OSCAL_TEST_RECORDS) {
        throw new InputError(
          `Invalid query parameters: from: the period holds more than ${MAX_OSCAL_TEST_RECORDS} test records; choose a shorter one`,
        );
      }
      if (page.items.length < PAGE_SIZE) return records;
    }
  }

  /** The entity as the store keeps it, with what the caller may read of it in the catalog. */
  async #subject(options: {
    stored: Omit<StoredEntity, 'controlRefs'>;
    credentials: BackstageCredentials;
  }): Promise<OscalSubject> {
    const { stored, credentials } = options;
    const entity = await this.#catalogEntity(stored.entityRef, credentials);
    const spec = (entity?.spec ?? {}) as Record<string, unknown>;
    const text = (value: unknown) =>
      typeof value === 'string' && value.trim() ? value : undefined;
    return {
      entityRef: stored.entityRef,
      kind: entity?.kind ?? stored.kind,
      type: text(spec.type),
      title: stored.title ?? text(entity?.metadata.title),
      description: text(entity?.metadata.description),
      lifecycle: text(spec.lifecycle),
      owner: stored.owner,
      system: stored.system,
      domain: stored.domain,
      riskTier: stored.riskTier,
    };
  }

  /**
   * The catalog entity as the caller may read it; without it (not visible
   * to the caller, or the catalog cannot be reached) the exports describe
   * the entity from the store alone.
   */
  async #catalogEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    try {
      return await this.#catalog.getEntityByRef(entityRef, { credentials });
    } catch (error) {
      this.#logger.warn(
        `OSCAL export of ${entityRef}: the catalog entity could not be read; describing it from the plugin's store`,
        error instanceof Error ? error : undefined,
      );
      return undefined;
    }
  }
}

/**
 * The period of an assessment-results export in epoch millis: `to`
 * defaults to now and `from` to 365 days before `to`.
 */
export function periodOf(options: { from?: string; to?: string; now: Date }): {
  from: number;
  to: number;
} {
  const to = options.to ? toMillis(options.to) : options.now.getTime();
  const from = options.from
    ? toMillis(options.from)
    : to - OSCAL_DEFAULT_PERIOD_DAYS * DAY_MS;
  if (from > to) {
    throw new InputError(
      `Invalid query parameters: from: must not be after to (${new Date(
        to,
      ).toISOString()})`,
    );
  }
  return { from, to };
}
