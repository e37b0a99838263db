import { Entity } from '@backstage/catalog-model';
import { isSecurityManagementAvailable } from '../conditions';

/** The kinds whose entities have a security posture. */
const POSTURE_KINDS = ['component', 'api', 'resource', 'system', 'domain'];

/**
 * Whether an entity's page shows security alerts: the kinds that have a
 * posture, and any other entity that takes part in security management.
 * Not users, groups, locations, templates or the controls themselves.
 */
export function canHaveSecurityAlerts(entity: Entity): boolean {
  return (
    POSTURE_KINDS.includes(entity.kind.toLocaleLowerCase('en-US')) ||
    isSecurityManagementAvailable(entity)
  );
}
