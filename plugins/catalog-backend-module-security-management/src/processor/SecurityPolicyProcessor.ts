import {
  CompoundEntityRef,
  Entity,
  RELATION_CHILD_OF,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
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
import { validateThenRelate } from './kindProcessing';

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
    return validateThenRelate(entity, emit, {
      kind: SECURITY_POLICY_KIND,
      problems: securityPolicyProblems,
      relations: ({ refOf, relate }) => {
        relate(
          refOf(entity.spec.owner, 'Group'),
          RELATION_OWNED_BY,
          RELATION_OWNER_OF,
        );
        if (entity.spec.parent) {
          relate(
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
          relate(control, RELATION_IMPLEMENTED_BY, RELATION_IMPLEMENTS);
        }
      },
    });
  }
}
