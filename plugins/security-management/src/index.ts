/**
 * Security Management for Backstage: posture card, Security tab and the
 * security managers' page.
 *
 * @packageDocumentation
 */
export {
  securityManagementPlugin,
  SecurityManagementPage,
  EntitySecurityPostureCard,
  EntitySecurityContent,
  SecurityControlCoverageCard,
  EntitySecurityAlertBanner,
} from './plugin';
export { rootRouteRef } from './routes';
export { isSecurityControl, isSecurityManagementAvailable } from './conditions';
export { securityManagementApiRef, SecurityManagementClient } from './api';
export type { SecurityManagementApi } from './api';
/** @public */
export type { ControlList } from '@open-itsm/plugin-security-management-common';
/** @public */
export type {
  SecurityPolicy,
  SecurityPolicyList,
} from '@open-itsm/plugin-security-management-common';
