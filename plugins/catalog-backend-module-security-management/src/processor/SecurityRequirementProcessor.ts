import {
  Entity,
  getCompoundEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import {
  isSecurityRequirementEntity,
  RELATION_SATISFIED_BY,
  RELATION_SATISFIES,
  requirementRefKey,
  SECURITY_REQUIREMENT_KIND,
  securityRequirementProblems,
  validateSecurityRequirementEntity,
} from '@open-itsm/plugin-security-management-common';
import { validateThenRelate } from './kindProcessing';
import { SecurityControlSource } from './SecurityControlIndex';

/**
 * Adds the `SecurityRequirement` kind to the catalog: a requirement of a
 * framework, imported from OSCAL (or written as YAML by `oscal-to-yaml`).
 *
 * - Validates SecurityRequirement entities; an invalid one stays in the
 *   catalog with a processing error naming each bad field, as an invalid
 *   SecurityControl does. An unknown apiVersion of our group is refused.
 * - Emits `ownedBy` / `ownerOf` between a requirement and its owner.
 * - Emits `satisfiedBy` (requirement → control) and `satisfies` (control →
 *   requirement) for every valid SecurityControl with a `spec.frameworks`
 *   mapping to the requirement's framework whose `ref` names its id or its
 *   label (`AC-2(1)`, `ac-2.1`; compared by `requirementRefKey`). The
 *   requirement's side reads the control library the processor already
 *   keeps, so a changed mapping shows on the requirement's next processing.
 *
 * @public
 */
export class SecurityRequirementProcessor implements CatalogProcessor {
  constructor(private readonly controls: SecurityControlSource) {}

  getProcessorName(): string {
    return 'SecurityRequirementProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (isSecurityRequirementEntity(entity)) {
      return true;
    }
    // Throws for a SecurityRequirement of an apiVersion we do not know.
    return validateSecurityRequirementEntity(entity);
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isSecurityRequirementEntity(entity)) {
      return entity;
    }
    return validateThenRelate(entity, emit, {
      kind: SECURITY_REQUIREMENT_KIND,
      problems: securityRequirementProblems,
      relations: async ({ refOf, relate }) => {
        relate(
          refOf(entity.spec.owner, 'Group'),
          RELATION_OWNED_BY,
          RELATION_OWNER_OF,
        );
        const keys = new Set([
          requirementRefKey(entity.spec.controlId),
          requirementRefKey(entity.spec.label),
        ]);
        for (const control of await this.controls.list()) {
          const satisfies = (control.spec.frameworks ?? []).some(
            mapping =>
              mapping.framework === entity.spec.framework &&
              keys.has(requirementRefKey(mapping.ref)),
          );
          if (satisfies) {
            relate(
              getCompoundEntityRef(control),
              RELATION_SATISFIED_BY,
              RELATION_SATISFIES,
            );
          }
        }
      },
    });
  }
}
