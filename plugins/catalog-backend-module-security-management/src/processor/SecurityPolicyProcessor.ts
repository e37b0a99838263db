import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_CHILD_OF,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  isSecurityPolicyEntity,
  RELATION_IMPLEMENTED_BY,
  RELATION_IMPLEMENTS,
  SECURITY_CONTROL_KIND,
  SECURITY_POLICY_KIND,
  securityPolicyProblems,
  validateSecurityPolicyEntity,
} from '@open-itsm/plugin-security-management-common';

function withProcessingError(
  entity: AlphaEntity,
  message: string,
): AlphaEntity {
  const error = { name: 'InputError', message };
  return {
    ...entity,
    status: {
      ...entity.status,
      items: [
        ...(entity.status?.items ?? []),
        {
          type: ENTITY_STATUS_CATALOG_PROCESSING_TYPE,
          level: 'error',
          message: `${error.name}: ${message}`,
          error,
        },
      ],
    },
  };
}

/**
 * Adds the `SecurityPolicy` kind to the catalog.
 *
 * - Validates SecurityPolicy entities. An invalid policy stays in the
 *   catalog with a processing error naming each bad field (as an invalid
 *   SecurityControl does), and emits no relation until fixed. An unknown
 *   apiVersion of our group is refused.
 * - Emits `ownedBy` / `ownerOf` between a policy and its owner,
 *   `childOf` / `parentOf` between a policy and the policy it underpins,
 *   and `implementedBy` (policy → control) / `implements` (control →
 *   policy) for every control its statements name, so the catalog graph
 *   draws the policy tree and which controls implement it.
 *
 * @public
 */
export class SecurityPolicyProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'SecurityPolicyProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (isSecurityPolicyEntity(entity)) {
      return true;
    }
    // Throws for a SecurityPolicy of an apiVersion we do not know.
    return validateSecurityPolicyEntity(entity);
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isSecurityPolicyEntity(entity)) {
      return entity;
    }
    const problems = securityPolicyProblems(entity);
    if (problems.length) {
      return withProcessingError(
        entity,
        `Invalid SecurityPolicy ${stringifyEntityRef(entity)}: ${problems.join(
          '; ',
        )}`,
      );
    }

    const selfRef = getCompoundEntityRef(entity);
    const refOf = (ref: string, defaultKind: string) =>
      parseEntityRef(ref, { defaultKind, defaultNamespace: selfRef.namespace });
    const both = (
      target: CompoundEntityRef,
      forward: string,
      backward: string,
    ) => {
      emit(
        processingResult.relation({ source: selfRef, type: forward, target }),
      );
      emit(
        processingResult.relation({
          source: target,
          type: backward,
          target: selfRef,
        }),
      );
    };

    both(
      refOf(entity.spec.owner, 'Group'),
      RELATION_OWNED_BY,
      RELATION_OWNER_OF,
    );
    if (entity.spec.parent) {
      both(
        refOf(entity.spec.parent, SECURITY_POLICY_KIND),
        RELATION_CHILD_OF,
        RELATION_PARENT_OF,
      );
    }
    // A control named by several statements is related once.
    const controls = new Map<string, CompoundEntityRef>();
    for (const statement of entity.spec.statements) {
      for (const control of statement.controls) {
        const ref = refOf(control, SECURITY_CONTROL_KIND);
        const key = stringifyEntityRef(ref).toLocaleLowerCase('en-US');
        if (!controls.has(key)) controls.set(key, ref);
      }
    }
    for (const control of controls.values()) {
      both(control, RELATION_IMPLEMENTED_BY, RELATION_IMPLEMENTS);
    }
    return entity;
  }
}
