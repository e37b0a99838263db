import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  Incident,
  isSecurityControlEntity,
  isSecurityPolicyEntity,
  SECURITY_MANAGEMENT_PLUGIN_ID,
  securityIncidentReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { Readable } from 'stream';

/** Where the security page is mounted in the app. */
const SECURITY_PAGE_PATH = '/security-management';
/** Incidents read from the API per request. */
const INCIDENT_PAGE_SIZE = 500;

/** A SecurityControl as a search result. @public */
export interface SecurityControlDocument extends IndexableDocument {
  entityRef: string;
  owner: string;
  procedure: string;
  /** `framework:ref`, e.g. `nist-sp-800-53-rev5:SC-8`. */
  frameworks: string[];
  category: string;
  criticality: string;
}

/** A SecurityPolicy as a search result. @public */
export interface SecurityPolicyDocument extends IndexableDocument {
  entityRef: string;
  owner: string;
  version: string;
  status: string;
}

/** A security incident as a search result. @public */
export interface SecurityIncidentDocument extends IndexableDocument {
  incidentId: string;
  severity: string;
  status: string;
  affectedEntities: string[];
}

function catalogPage(entity: Entity): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `/catalog/${namespace}/${entity.kind.toLocaleLowerCase('en-US')}/${
    entity.metadata.name
  }`;
}

async function catalogEntities(
  catalog: CatalogService,
  auth: AuthService,
  kind: string,
): Promise<Entity[]> {
  const { items } = await catalog.getEntities(
    { filter: { kind } },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items;
}

/** The search document of a SecurityControl, readable like its entity. */
export function controlDocument(entity: Entity): SecurityControlDocument {
  const entityRef = stringifyEntityRef(entity);
  const spec = isSecurityControlEntity(entity)
    ? entity.spec
    : (entity.spec as Record<string, any> | undefined);
  return {
    title: entity.metadata.title ?? entity.metadata.name,
    text: entity.metadata.description ?? '',
    location: catalogPage(entity),
    entityRef,
    owner: String(spec?.owner ?? ''),
    procedure: String(spec?.testing?.procedure ?? ''),
    frameworks: Array.isArray(spec?.frameworks)
      ? spec!.frameworks.map(
          (mapping: { framework?: string; ref?: string }) =>
            `${mapping.framework}:${mapping.ref}`,
        )
      : [],
    category: String(spec?.category ?? ''),
    criticality: String(spec?.criticality ?? ''),
    authorization: { resourceRef: entityRef },
  };
}

/**
 * The search document of a SecurityPolicy: its description and statements
 * as text, readable like its entity.
 */
export function policyDocument(entity: Entity): SecurityPolicyDocument {
  const entityRef = stringifyEntityRef(entity);
  const spec = entity.spec as Record<string, any> | undefined;
  const statements: { title?: string; text?: string }[] = Array.isArray(
    spec?.statements,
  )
    ? spec!.statements
    : [];
  return {
    title: entity.metadata.title ?? entity.metadata.name,
    text: [
      entity.metadata.description,
      ...statements.map(statement =>
        [statement.title, statement.text].filter(Boolean).join(': '),
      ),
    ]
      .filter(Boolean)
      .join('\n'),
    location: catalogPage(entity),
    entityRef,
    owner: String(spec?.owner ?? ''),
    version: String(spec?.version ?? ''),
    status: String(spec?.status ?? ''),
    authorization: { resourceRef: entityRef },
  };
}

/**
 * The search document of an incident. Its resource ref is the incident id,
 * which the plugin's permission integration resolves, so that the search
 * backend shows it only to readers the policy lets read that incident.
 */
export function incidentDocument(incident: Incident): SecurityIncidentDocument {
  return {
    title: incident.title,
    text: incident.description,
    location: `${SECURITY_PAGE_PATH}/incidents?incident=${encodeURIComponent(
      incident.id,
    )}`,
    incidentId: incident.id,
    severity: incident.severity,
    status: incident.status,
    affectedEntities: incident.affectedEntities,
    authorization: { resourceRef: incident.id },
  };
}

/**
 * SecurityControls from the catalog, each visible to those who may read its
 * catalog entity.
 *
 * @public
 */
export class SecurityControlCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'security-control';
  readonly visibilityPermission = catalogEntityReadPermission;

  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  async getCollator(): Promise<Readable> {
    const { catalog, auth } = this.options;
    const entities = await catalogEntities(catalog, auth, 'SecurityControl');
    return Readable.from(entities.map(controlDocument));
  }
}

/**
 * SecurityPolicies from the catalog, each visible to those who may read its
 * catalog entity.
 *
 * @public
 */
export class SecurityPolicyCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'security-policy';
  readonly visibilityPermission = catalogEntityReadPermission;

  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  async getCollator(): Promise<Readable> {
    const { catalog, auth } = this.options;
    const entities = await catalogEntities(catalog, auth, 'SecurityPolicy');
    return Readable.from(
      entities.filter(isSecurityPolicyEntity).map(policyDocument),
    );
  }
}

/**
 * Incidents read through the plugin's API with the search plugin's own
 * service credentials; each result is shown only to readers who may read
 * that incident (`security.incident.read` on the incident resource).
 *
 * @public
 */
export class SecurityIncidentCollatorFactory
  implements DocumentCollatorFactory
{
  readonly type = 'security-incident';
  readonly visibilityPermission = securityIncidentReadPermission;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.#documents());
  }

  async *#documents(): AsyncGenerator<SecurityIncidentDocument> {
    const { discovery, auth } = this.options;
    const fetchFn = this.options.fetch ?? fetch;
    const baseUrl = await discovery.getBaseUrl(SECURITY_MANAGEMENT_PLUGIN_ID);
    for (let offset = 0; ; offset += INCIDENT_PAGE_SIZE) {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: SECURITY_MANAGEMENT_PLUGIN_ID,
      });
      const response = await fetchFn(
        `${baseUrl}/incidents?limit=${INCIDENT_PAGE_SIZE}&offset=${offset}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const page = (await response.json()) as { items: Incident[] };
      for (const incident of page.items) yield incidentDocument(incident);
      if (page.items.length < INCIDENT_PAGE_SIZE) return;
    }
  }
}
