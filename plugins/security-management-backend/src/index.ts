/**
 * The Security Management backend plugin: security controls, test records,
 * incidents, reviews, exceptions and posture, under /api/security-management.
 *
 * @packageDocumentation
 */

export { securityManagementPlugin as default } from './plugin';
export {
  securityIncidentConditions,
  createSecurityIncidentConditionalDecision,
} from './conditionExports';
export {
  securityIncidentPermissionResourceRef,
  securityIncidentRules,
} from './service/incidentRules';
export type { SecurityIncidentResource } from './service/incidentRules';
export type { IncidentRuleQuery } from './incidents/IncidentStore';
export { readSecurityManagerGroups } from './lib/config';
