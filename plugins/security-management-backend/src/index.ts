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
} from './incidents/conditionExports';
export {
  securityIncidentPermissionResourceRef,
  securityIncidentRules,
} from './incidents/incidentRules';
export type { SecurityIncidentResource } from './incidents/incidentRules';
export type { IncidentRuleQuery } from './incidents/IncidentStore';
export { readSecurityManagerGroups } from './lib/config';
export {
  searchModuleSecurityManagement,
  SecurityControlCollatorFactory,
  SecurityIncidentCollatorFactory,
  SecurityPolicyCollatorFactory,
} from './search';
export type {
  SecurityControlDocument,
  SecurityIncidentDocument,
  SecurityPolicyDocument,
} from './search';
