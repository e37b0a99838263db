import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_OSCAL_IMPORT,
  isSecurityRequirementEntity,
  SECURITY_REQUIREMENT_KIND,
} from '@open-itsm/plugin-security-management-common';
import { readAllEntities } from '../lib/readCatalog';
import {
  FrameworkStore,
  RequirementSyncResult,
  StoredRequirement,
} from './FrameworkStore';

// Only what the views need: statements and guidance stay in the catalog.
const FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.framework',
  'spec.frameworkTitle',
  'spec.controlId',
  'spec.label',
  'spec.family',
  'spec.parent',
];

const FRAMEWORK_ID = /^[a-z0-9][a-z0-9.-]*$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** A requirement as stored, or undefined when a field it needs is missing. */
export function toStoredRequirement(
  entity: Entity,
): StoredRequirement | undefined {
  if (!isSecurityRequirementEntity(entity)) return undefined;
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const framework = text(spec.framework);
  const frameworkTitle = text(spec.frameworkTitle);
  const controlId = text(spec.controlId);
  const label = text(spec.label);
  if (!framework || !FRAMEWORK_ID.test(framework)) return undefined;
  if (!frameworkTitle || !controlId || !label) return undefined;
  return {
    requirementRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    framework,
    frameworkTitle,
    controlId,
    label,
    title: text(entity.metadata.title),
    family: text(spec.family),
    parent: text(spec.parent),
    importId: text(entity.metadata.annotations?.[ANNOTATION_OSCAL_IMPORT]),
  };
}

/**
 * Reads the SecurityRequirement entities of the catalog into the framework
 * store. One without the fields the views need is skipped with a warning:
 * the catalog shows its processing error on its entity page.
 */
export class RequirementSync {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #store: FrameworkStore;
  readonly #logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    store: FrameworkStore;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /** Reads the catalog and replaces the stored requirements. */
  async run(now: Date = new Date()): Promise<RequirementSyncResult> {
    const entities = await readAllEntities({
      catalog: this.#catalog,
      auth: this.#auth,
      filter: { kind: SECURITY_REQUIREMENT_KIND },
      fields: FIELDS,
    });
    const requirements: StoredRequirement[] = [];
    for (const entity of entities) {
      const requirement = toStoredRequirement(entity);
      if (requirement) {
        requirements.push(requirement);
      } else {
        this.#logger.warn(
          `Skipping SecurityRequirement ${stringifyEntityRef(
            entity,
          )}: it lacks a valid framework, frameworkTitle, controlId or label`,
        );
      }
    }
    const result = await this.#store.replaceRequirements({
      requirements,
      now,
    });
    this.#logger.info(
      `Framework sync: ${result.requirementCount} requirements of ${result.frameworkCount} frameworks, ${result.removedCount} removed`,
    );
    return result;
  }
}
