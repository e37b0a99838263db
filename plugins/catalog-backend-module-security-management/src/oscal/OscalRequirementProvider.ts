import {
  AuthService,
  LoggerService,
  SchedulerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  ANNOTATION_OSCAL_IMPORT,
  FRAMEWORK_IMPORT_EVENT_TOPIC,
  FrameworkImportEvent,
  SECURITY_CONTROL_KIND,
  SecurityRequirementEntityV1alpha1,
  securityRequirementProblems,
} from '@open-itsm/plugin-security-management-common';
import { fileURLToPath } from 'node:url';
import { OscalImportConfig } from './config';
import {
  OscalCatalogDocument,
  oscalToRequirements,
} from './oscalToRequirements';
import {
  describeOscalProblems,
  oscalCatalogProblems,
} from './validateOscalCatalog';

/** What one run of an import did. */
export type OscalImportOutcome =
  | { outcome: 'imported'; requirementCount: number }
  | { outcome: 'failed'; message: string };

/** The names of the SecurityControls in the catalog, by namespace. */
export type ControlNameSource = () => Promise<
  Array<{ namespace: string; name: string }>
>;

const PAGE_SIZE = 500;

/**
 * Reads every SecurityControl's name from the catalog, paging with cursors,
 * with the module's own credentials.
 */
export function catalogControlNames(options: {
  catalog: CatalogService;
  auth: AuthService;
}): ControlNameSource {
  return async () => {
    const credentials = await options.auth.getOwnServiceCredentials();
    const fields = ['metadata.name', 'metadata.namespace'];
    const names: Array<{ namespace: string; name: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE, fields }
          : {
              filter: { kind: SECURITY_CONTROL_KIND },
              limit: PAGE_SIZE,
              fields,
            },
        { credentials },
      );
      for (const entity of page.items) {
        names.push({
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        });
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return names;
  };
}

/** The location annotation value of a URL: `file:<path>` or `url:<url>`. */
function locationRef(target: string): string {
  return target.startsWith('file:')
    ? `file:${fileURLToPath(target)}`
    : `url:${target}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One configured OSCAL import as a catalog entity provider: on its schedule
 * (one replica at a time) it reads an OSCAL catalog or resolved profile
 * through the UrlReader, checks it against NIST's OSCAL catalog schema and
 * replaces everything it provided with the requirements of this read (a
 * full mutation), so requirements appear and vanish with the source.
 *
 * A document that cannot be read, is not valid, or would name a
 * requirement like an existing SecurityControl changes nothing: the
 * previous import stays. Every run's outcome is logged and published on
 * the events system (`FRAMEWORK_IMPORT_EVENT_TOPIC`), where the backend
 * plugin keeps it for the security page.
 */
export class OscalRequirementProvider implements EntityProvider {
  readonly #config: OscalImportConfig;
  readonly #reader: UrlReaderService;
  readonly #controlNames: ControlNameSource;
  readonly #logger: LoggerService;
  readonly #events?: EventsService;
  readonly #scheduler?: SchedulerService;
  #connection?: EntityProviderConnection;

  constructor(options: {
    config: OscalImportConfig;
    reader: UrlReaderService;
    controlNames: ControlNameSource;
    logger: LoggerService;
    events?: EventsService;
    /** Runs the import on its schedule; without it, call {@link run}. */
    scheduler?: SchedulerService;
  }) {
    this.#config = options.config;
    this.#reader = options.reader;
    this.#controlNames = options.controlNames;
    this.#logger = options.logger.child({
      oscalImport: options.config.id,
    });
    this.#events = options.events;
    this.#scheduler = options.scheduler;
  }

  getProviderName(): string {
    return `security-requirements:${this.#config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    if (!this.#scheduler) return;
    await this.#scheduler.scheduleTask({
      id: `security-management-oscal-import:${this.#config.id}`,
      ...this.#config.schedule,
      scope: 'global',
      fn: async () => {
        await this.run();
      },
    });
  }

  /** Reads the source once and, if it is good, replaces the import. */
  async run(): Promise<OscalImportOutcome> {
    if (!this.#connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    const started = Date.now();
    let outcome: OscalImportOutcome;
    try {
      const entities = await this.#read();
      await this.#connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
      });
      outcome = { outcome: 'imported', requirementCount: entities.length };
      this.#logger.info(
        `OSCAL import ${this.#config.id}: ${entities.length} ${
          this.#config.framework
        } requirements from ${this.#config.target} in ${
          Date.now() - started
        } ms`,
      );
    } catch (error) {
      outcome = {
        outcome: 'failed',
        message: `OSCAL import ${this.#config.id} of ${
          this.#config.target
        } failed, the previous import stays: ${messageOf(error)}`,
      };
      this.#logger.error(outcome.message);
    }
    await this.#publish(outcome);
    return outcome;
  }

  async #read(): Promise<SecurityRequirementEntityV1alpha1[]> {
    const { id, framework, target, owner } = this.#config;
    const response = await this.#reader.readUrl(target);
    const text = (await response.buffer()).toString('utf8');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new Error(`not JSON: ${messageOf(error)}`);
    }
    const problems = oscalCatalogProblems(document);
    if (problems.length) throw new Error(describeOscalProblems(problems));

    const location = locationRef(target);
    const entities = oscalToRequirements(document as OscalCatalogDocument, {
      framework,
      owner,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_OSCAL_IMPORT]: id,
      },
    });
    this.#checkEntities(entities);
    await this.#checkCollisions(entities);
    return entities;
  }

  /** Every entity valid and named once. */
  #checkEntities(entities: SecurityRequirementEntityV1alpha1[]) {
    const byName = new Map<string, string>();
    for (const entity of entities) {
      const { name } = entity.metadata;
      const first = byName.get(name);
      if (first !== undefined) {
        throw new Error(
          `controls '${first}' and '${entity.spec.controlId}' would both be named ${name}`,
        );
      }
      byName.set(name, entity.spec.controlId);
      const problems = securityRequirementProblems(entity);
      if (problems.length) {
        throw new Error(
          `control '${
            entity.spec.controlId
          }' makes an invalid SecurityRequirement: ${problems.join('; ')}`,
        );
      }
    }
  }

  /**
   * Refuses the import when a requirement would carry the name of an
   * existing SecurityControl: the annotation and API accept control names
   * without their kind, so one name would mean two things.
   */
  async #checkCollisions(entities: SecurityRequirementEntityV1alpha1[]) {
    const controls = new Set(
      (await this.#controlNames()).map(control =>
        `${control.namespace}/${control.name}`.toLocaleLowerCase('en-US'),
      ),
    );
    const collisions = entities.filter(entity =>
      controls.has(
        `default/${entity.metadata.name}`.toLocaleLowerCase('en-US'),
      ),
    );
    if (!collisions.length) return;
    throw new Error(
      collisions
        .map(
          entity =>
            `requirement ${stringifyEntityRef(entity)} (${
              entity.spec.label
            }) has the name of the existing SecurityControl securitycontrol:default/${
              entity.metadata.name
            }`,
        )
        .join('; ')
        .concat('; rename the control, or import under another framework id'),
    );
  }

  async #publish(outcome: OscalImportOutcome) {
    if (!this.#events) return;
    const { id, framework, target } = this.#config;
    const payload: FrameworkImportEvent = {
      importId: id,
      framework,
      target,
      at: new Date().toISOString(),
      ...outcome,
    };
    try {
      await this.#events.publish({
        topic: FRAMEWORK_IMPORT_EVENT_TOPIC,
        eventPayload: payload,
      });
    } catch (error) {
      this.#logger.warn(
        `Could not publish the outcome of OSCAL import ${id}: ${messageOf(
          error,
        )}`,
      );
    }
  }
}
