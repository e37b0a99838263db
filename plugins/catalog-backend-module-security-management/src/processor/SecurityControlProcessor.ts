import {
  Entity,
  getCompoundEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import {
  annotatedControlRefs,
  controlSelectsEntity,
  inheritanceCandidates,
  isSecurityControlEntity,
  isSecurityPolicyEntity,
  isSecurityRequirementEntity,
  RELATION_HAS_SECURITY_CONTROL,
  RELATION_INHERITS_SECURITY_CONTROL,
  RELATION_SECURITY_CONTROL_INHERITED_BY,
  RELATION_SECURITY_CONTROL_OF,
  SecurityControlEntityV1alpha1,
  SECURITY_CONTROL_KIND,
  securityControlProblems,
  validateSecurityControlEntity,
} from '@open-itsm/plugin-security-management-common';
import { relateFrom, validateThenRelate } from './kindProcessing';
import { SecurityControlSource } from './SecurityControlIndex';

/**
 * The entities a control applies to directly, from its stitched
 * `securityControlOf` relations; kept per control object, which the
 * control source returns unchanged until it re-reads the catalog.
 */
const appliedTo = new WeakMap<SecurityControlEntityV1alpha1, Set<string>>();

function entitiesControlAppliesTo(
  control: SecurityControlEntityV1alpha1,
): Set<string> {
  let refs = appliedTo.get(control);
  if (!refs) {
    refs = new Set(
      (control.relations ?? [])
        .filter(relation => relation.type === RELATION_SECURITY_CONTROL_OF)
        .map(relation => relation.targetRef.toLocaleLowerCase('en-US')),
    );
    appliedTo.set(control, refs);
  }
  return refs;
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
 * - For a control with `spec.inheritance`, emits `inheritsSecurityControl`
 *   (entity → control) and `securityControlInheritedBy` (control → entity)
 *   for each entity of an inheriting kind whose `via` relation (read from
 *   its spec, as the built-in processor emits it) reaches an entity the
 *   control applies to directly (the control's stitched
 *   `securityControlOf` relations). A control that applies directly is not
 *   also inherited: direct wins. Inheritance is one step: an entity that
 *   only inherits a control passes nothing on.
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
    if (isSecurityControlEntity(entity)) {
      return validateThenRelate(entity, emit, {
        kind: SECURITY_CONTROL_KIND,
        problems: securityControlProblems,
        relations: ({ refOf, relate }) =>
          relate(
            refOf(entity.spec.owner, 'Group'),
            RELATION_OWNED_BY,
            RELATION_OWNER_OF,
          ),
      });
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
    const relate = relateFrom(getCompoundEntityRef(entity), emit);
    const annotated = new Set(annotatedControlRefs(entity).refs);
    for (const control of controls) {
      const controlRef = getCompoundEntityRef(control);
      if (
        annotated.has(
          stringifyEntityRef(controlRef).toLocaleLowerCase('en-US'),
        ) ||
        controlSelectsEntity(control, entity)
      ) {
        relate(
          controlRef,
          RELATION_HAS_SECURITY_CONTROL,
          RELATION_SECURITY_CONTROL_OF,
        );
      } else if (
        inheritanceCandidates(control, entity).some(ref =>
          entitiesControlAppliesTo(control).has(ref),
        )
      ) {
        relate(
          controlRef,
          RELATION_INHERITS_SECURITY_CONTROL,
          RELATION_SECURITY_CONTROL_INHERITED_BY,
        );
      }
    }
    return entity;
  }
}
