import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ApplicabilityRefreshResult,
  ControlSummary,
  DEFAULT_RISK_TIER,
  isSecurityControlEntity,
  readRiskTier,
  RELATION_HAS_SECURITY_CONTROL,
  RELATION_INHERITS_SECURITY_CONTROL,
  SECURITY_CONTROL_KIND,
  securityControlProblems,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore, StoredEntity } from './ApplicabilityStore';

const PAGE_SIZE = 500;

/** Compares the synced entities with what the previous sync saw. */
export interface ReviewChanges {
  detect(options: { entities: Entity[]; now: Date }): Promise<unknown>;
}

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.lifecycle',
  'spec.system',
  'spec.domain',
  'relations',
];

function stringField(entity: Entity, key: string): string | undefined {
  const value = entity.spec?.[key];
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** The targets of an entity's relations of a type, lower-case. */
function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef.toLocaleLowerCase('en-US'));
}

/**
 * For each inherited control of each entity (its `inheritsSecurityControl`
 * relations, minus the controls that apply to it directly: direct wins),
 * the entity it is inherited from: of its targets of the control's
 * `inheritance.via` relations, those the control applies to directly, the
 * first by ref (so one entity inheriting from two counts the control once,
 * with one status). A relation whose parent no longer has the control is
 * skipped until the catalog drops it.
 */
export function inheritedControls(options: {
  entities: Entity[];
  /** The relations each inheritable control is inherited through. */
  inheritedVia: Map<string, string[]>;
}): Map<string, Record<string, string>> {
  const { entities, inheritedVia } = options;
  const direct = new Map<string, Set<string>>(
    entities.map(entity => [
      ownRef(entity),
      new Set(relationTargets(entity, RELATION_HAS_SECURITY_CONTROL)),
    ]),
  );
  const result = new Map<string, Record<string, string>>();
  for (const entity of entities) {
    const ref = ownRef(entity);
    const own = direct.get(ref)!;
    const inherited: Record<string, string> = {};
    for (const controlRef of relationTargets(
      entity,
      RELATION_INHERITS_SECURITY_CONTROL,
    )) {
      const via = inheritedVia.get(controlRef);
      if (!via || own.has(controlRef)) continue;
      const [parent] = via
        .flatMap(type => relationTargets(entity, type))
        .filter(target => direct.get(target)?.has(controlRef))
        .sort();
      if (parent) inherited[controlRef] = parent;
    }
    if (Object.keys(inherited).length) result.set(ref, inherited);
  }
  return result;
}

/**
 * Reads the catalog into the store's applicability snapshot: every valid
 * SecurityControl, and every entity with `hasSecurityControl` relations.
 * Those relations, emitted by the catalog module, are the one record of
 * which control applies where, so the catalog graph and this API agree.
 */
export class CatalogSync {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #store: ApplicabilityStore;
  readonly #logger: LoggerService;
  readonly #reviewChanges?: ReviewChanges;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    store: ApplicabilityStore;
    logger: LoggerService;
    /** Notices changes that require a review (see src/reviews/). */
    reviewChanges?: ReviewChanges;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#reviewChanges = options.reviewChanges;
  }

  /** Pages through the catalog with cursors, so any size works. */
  async #readAll(request: {
    filter: Record<string, string | symbol> | Record<string, string | symbol>[];
    fields?: string[];
  }): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    let response = await this.#catalog.queryEntities(
      { ...request, limit: PAGE_SIZE },
      { credentials },
    );
    entities.push(...response.items);
    while (response.pageInfo.nextCursor) {
      response = await this.#catalog.queryEntities(
        {
          cursor: response.pageInfo.nextCursor,
          limit: PAGE_SIZE,
          fields: request.fields,
        },
        { credentials },
      );
      entities.push(...response.items);
    }
    return entities;
  }

  /**
   * The valid controls, and the relations each control with
   * `spec.inheritance` is inherited through.
   */
  async #readControls(): Promise<{
    controls: ControlSummary[];
    inheritedVia: Map<string, string[]>;
  }> {
    const entities = await this.#readAll({
      filter: { kind: SECURITY_CONTROL_KIND },
    });
    const controls: ControlSummary[] = [];
    const inheritedVia = new Map<string, string[]>();
    for (const entity of entities) {
      const ref = ownRef(entity);
      if (!isSecurityControlEntity(entity)) {
        this.#logger.warn(
          `Skipping ${ref}: apiVersion '${entity.apiVersion}' is not a supported SecurityControl version`,
        );
        continue;
      }
      const problems = securityControlProblems(entity);
      if (problems.length) {
        this.#logger.warn(
          `Skipping invalid SecurityControl ${ref}: ${problems.join('; ')}`,
        );
        continue;
      }
      const { spec, metadata } = entity;
      if (spec.inheritance) inheritedVia.set(ref, spec.inheritance.via);
      controls.push({
        ref,
        title: metadata.title ?? metadata.name,
        description: metadata.description,
        owner:
          normalizeEntityRef(spec.owner, {
            defaultKind: 'group',
            defaultNamespace: metadata.namespace,
          }) ?? spec.owner,
        category: spec.category,
        criticality: spec.criticality,
        cadence: spec.testing.cadence,
        method: spec.testing.method,
        procedure: spec.testing.procedure,
        frameworks: spec.frameworks ?? [],
      });
    }
    return { controls, inheritedVia };
  }

  /** Domain refs of systems, by system ref. */
  async #readSystemDomains(): Promise<Map<string, string>> {
    const systems = await this.#readAll({
      filter: { kind: 'system', 'spec.domain': CATALOG_FILTER_EXISTS },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.domain'],
    });
    const domains = new Map<string, string>();
    for (const system of systems) {
      const domain = stringField(system, 'domain');
      const ref =
        domain &&
        normalizeEntityRef(domain, {
          defaultKind: 'domain',
          defaultNamespace: system.metadata.namespace,
        });
      if (ref) domains.set(ownRef(system), ref);
    }
    return domains;
  }

  #toStoredEntity(options: {
    entity: Entity;
    controlRefs: Set<string>;
    systemDomains: Map<string, string>;
    inherited?: Record<string, string>;
  }): StoredEntity {
    const { entity, controlRefs, systemDomains, inherited } = options;
    const namespace = entity.metadata.namespace;
    const ref = ownRef(entity);
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const isSystem = kind === 'system';

    const ownerValue = stringField(entity, 'owner');
    const systemValue = isSystem ? undefined : stringField(entity, 'system');
    const system =
      systemValue &&
      normalizeEntityRef(systemValue, {
        defaultKind: 'system',
        defaultNamespace: namespace,
      });
    const ownDomain = isSystem ? stringField(entity, 'domain') : undefined;
    const domain = ownDomain
      ? normalizeEntityRef(ownDomain, {
          defaultKind: 'domain',
          defaultNamespace: namespace,
        })
      : system && systemDomains.get(system);

    const applicable = [
      ...relationTargets(entity, RELATION_HAS_SECURITY_CONTROL),
      ...Object.keys(inherited ?? {}),
    ].filter(target => controlRefs.has(target));

    return {
      entityRef: ref,
      kind: entity.kind.toLocaleLowerCase('en-US'),
      // PostgreSQL cannot store a NUL in text, and one title must not stop
      // the whole sync: the title is only shown, so the NULs are dropped.
      title: entity.metadata.title?.replaceAll('\u0000', '') || undefined,
      // A group has no spec.owner; it answers for its own (organisational)
      // controls, so it rolls up under itself.
      owner:
        kind === 'group'
          ? ref
          : ownerValue &&
            normalizeEntityRef(ownerValue, {
              defaultKind: 'group',
              defaultNamespace: namespace,
            }),
      system: system || undefined,
      domain: domain || undefined,
      riskTier: readRiskTier(entity) ?? DEFAULT_RISK_TIER,
      controlRefs: [...new Set(applicable)],
      ...(inherited && { inheritedFrom: inherited }),
    };
  }

  /** Reads the catalog and replaces the store's snapshot. */
  async run(now: Date = new Date()): Promise<ApplicabilityRefreshResult> {
    const { controls, inheritedVia } = await this.#readControls();
    const controlRefs = new Set(controls.map(control => control.ref));
    const [entities, systemDomains] = await Promise.all([
      this.#readAll({
        filter: [
          {
            [`relations.${RELATION_HAS_SECURITY_CONTROL}`]:
              CATALOG_FILTER_EXISTS,
          },
          {
            [`relations.${RELATION_INHERITS_SECURITY_CONTROL}`]:
              CATALOG_FILTER_EXISTS,
          },
        ],
        fields: ENTITY_FIELDS,
      }),
      this.#readSystemDomains(),
    ]);
    const inherited = inheritedControls({ entities, inheritedVia });
    const stored = entities
      .map(entity =>
        this.#toStoredEntity({
          entity,
          controlRefs,
          systemDomains,
          inherited: inherited.get(ownRef(entity)),
        }),
      )
      .filter(entity => entity.controlRefs.length > 0);
    const result = await this.#store.replaceCatalogSnapshot({
      controls,
      entities: stored,
      now,
    });
    await this.#reviewChanges?.detect({ entities, now });
    this.#logger.info(
      `Catalog sync: ${result.controlCount} controls, ${result.entityCount} entities, ${result.pairCount} applicable pairs, ${result.removedEntityCount} entities removed`,
    );
    return result;
  }
}
