import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isSecurityPolicyEntity,
  normalizeEntityRef,
  parsePolicyDate,
  policyNextReviewAt,
  SECURITY_POLICY_KIND,
  SecurityPolicyEntityV1alpha1,
  securityPolicyProblems,
} from '@open-itsm/plugin-security-management-common';
import { readAllEntities } from '../lib/readCatalog';
import { PolicyStore, PolicySyncResult, StoredPolicy } from './PolicyStore';

function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** A valid policy as the store keeps it, with every ref full and lower-case. */
export function toStoredPolicy(
  entity: SecurityPolicyEntityV1alpha1,
): StoredPolicy {
  const { metadata, spec } = entity;
  const ref = (value: string, defaultKind: string) =>
    normalizeEntityRef(value, {
      defaultKind,
      defaultNamespace: metadata.namespace,
    }) ?? value;
  const approvedAt = parsePolicyDate(spec.approval?.approvedAt);
  return {
    ref: ownRef(entity),
    title: metadata.title ?? metadata.name,
    description: metadata.description,
    owner: ref(spec.owner, 'group'),
    version: spec.version,
    status: spec.status,
    approver: spec.approval && ref(spec.approval.approver, 'user'),
    approvedAt:
      approvedAt === undefined ? undefined : new Date(approvedAt).toISOString(),
    reviewCadence: spec.review.cadence,
    nextReviewAt: policyNextReviewAt(spec),
    parentRef: spec.parent && ref(spec.parent, 'securitypolicy'),
    statements: spec.statements.map(statement => ({
      id: statement.id,
      title: statement.title,
      text: statement.text,
      controlRefs: [
        ...new Set(
          statement.controls.map(control => ref(control, 'securitycontrol')),
        ),
      ],
    })),
  };
}

/**
 * Reads the SecurityPolicy entities of the catalog into the policy store.
 * An invalid policy is skipped with a warning: the catalog shows its
 * processing error on its entity page.
 */
export class PolicySync {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #store: PolicyStore;
  readonly #logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    store: PolicyStore;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /** Reads the catalog and replaces the stored policies. */
  async run(now: Date = new Date()): Promise<PolicySyncResult> {
    const entities = await readAllEntities({
      catalog: this.#catalog,
      auth: this.#auth,
      filter: { kind: SECURITY_POLICY_KIND },
    });
    const policies: StoredPolicy[] = [];
    for (const entity of entities) {
      if (!isSecurityPolicyEntity(entity)) {
        this.#logger.warn(
          `Skipping ${ownRef(entity)}: apiVersion '${
            entity.apiVersion
          }' is not a supported SecurityPolicy version`,
        );
        continue;
      }
      const problems = securityPolicyProblems(entity);
      if (problems.length) {
        this.#logger.warn(
          `Skipping invalid SecurityPolicy ${ownRef(entity)}: ${problems.join(
            '; ',
          )}`,
        );
        continue;
      }
      policies.push(toStoredPolicy(entity));
    }
    const result = await this.#store.replacePolicies({ policies, now });
    this.#logger.info(
      `Policy sync: ${result.policyCount} policies, ${result.statementCount} statements, ${result.removedPolicyCount} policies removed`,
    );
    return result;
  }
}
