import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CONTROLS,
  ANNOTATION_RISK_TIER,
  RELATION_HAS_SECURITY_CONTROL,
  SECURITY_CONTROL_KIND,
} from '@open-itsm/plugin-security-management-common';

/**
 * Whether an entity is a SecurityControl.
 *
 * @public
 */
export function isSecurityControl(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') ===
    SECURITY_CONTROL_KIND.toLocaleLowerCase('en-US')
  );
}

/**
 * Whether an entity takes part in security management: a SecurityControl
 * applies to it, or it declares a risk tier or extra controls. Controls
 * themselves are not managed entities.
 *
 * @public
 */
export function isSecurityManagementAvailable(entity: Entity): boolean {
  if (isSecurityControl(entity)) return false;
  const annotations = entity.metadata.annotations ?? {};
  return (
    Boolean(annotations[ANNOTATION_RISK_TIER]) ||
    Boolean(annotations[ANNOTATION_CONTROLS]) ||
    (entity.relations ?? []).some(r => r.type === RELATION_HAS_SECURITY_CONTROL)
  );
}
