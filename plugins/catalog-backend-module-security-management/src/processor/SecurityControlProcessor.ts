import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
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
  annotatedControlRefs,
  controlSelectsEntity,
  isSecurityControlEntity,
  isSecurityPolicyEntity,
  isSecurityRequirementEntity,
  RELATION_HAS_SECURITY_CONTROL,
  RELATION_SECURITY_CONTROL_OF,
  securityControlProblems,
  validateSecurityControlEntity,
} from '@open-itsm/plugin-security-management-common';
import { SecurityControlSource } from './SecurityControlIndex';

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
 * Adds the `SecurityControl` kind to the catalog.
 *
 * - Validates SecurityControl entities. An invalid control stays in the
 *   catalog with a processing error (an error status item) that names each
 *   bad field, so its entity page shows what to fix; it applies to nothing
 *   until fixed, and no other entity is affected. (A processing error thrown
 *   by a processor would keep a new entity out of the catalog altogether, so
 *   its page would not exist.) An unknown apiVersion of our group is refused.
 * - Emits `ownedBy` / `ownerOf` between a control and its owner.
 * - For every other entity, emits `hasSecurityControl` (entity → control)
 *   and `securityControlOf` (control → entity) for each control whose
 *   `appliesTo` selectors match it, or that it names in its
 *   `security.open-itsm.dev/controls` annotation. These relations are the
 *   single record of applicability: the catalog graph draws them and the
 *   backend plugin reads them.
 *
 * @public
 */
export class SecurityControlProcessor implements CatalogProcessor {
  constructor(private readonly controls: SecurityControlSource) {}

  getProcessorName(): string {
    return 'SecurityControlProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (isSecurityControlEntity(entity)) {
      return true;
    }
    // Throws for a SecurityControl of an apiVersion we do not know.
    return validateSecurityControlEntity(entity);
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const selfRef = getCompoundEntityRef(entity);

    if (isSecurityControlEntity(entity)) {
      const problems = securityControlProblems(entity);
      if (problems.length) {
        return withProcessingError(
          entity,
          `Invalid SecurityControl ${stringifyEntityRef(
            entity,
          )}: ${problems.join('; ')}`,
        );
      }
      const owner = parseEntityRef(entity.spec.owner, {
        defaultKind: 'Group',
        defaultNamespace: selfRef.namespace,
      });
      emit(
        processingResult.relation({
          source: selfRef,
          type: RELATION_OWNED_BY,
          target: owner,
        }),
      );
      emit(
        processingResult.relation({
          source: owner,
          type: RELATION_OWNER_OF,
          target: selfRef,
        }),
      );
      return entity;
    }

    // A control implements a policy (SecurityPolicyProcessor) and satisfies
    // a requirement (SecurityRequirementProcessor); it never applies to one.
    if (isSecurityPolicyEntity(entity) || isSecurityRequirementEntity(entity)) {
      return entity;
    }
    const controls = await this.controls.list();
    if (controls.length === 0) {
      return entity;
    }
    const annotated = new Set(annotatedControlRefs(entity).refs);
    for (const control of controls) {
      const controlRef = getCompoundEntityRef(control);
      if (
        !annotated.has(
          stringifyEntityRef(controlRef).toLocaleLowerCase('en-US'),
        ) &&
        !controlSelectsEntity(control, entity)
      ) {
        continue;
      }
      emit(
        processingResult.relation({
          source: selfRef,
          type: RELATION_HAS_SECURITY_CONTROL,
          target: controlRef,
        }),
      );
      emit(
        processingResult.relation({
          source: controlRef,
          type: RELATION_SECURITY_CONTROL_OF,
          target: selfRef,
        }),
      );
    }
    return entity;
  }
}
