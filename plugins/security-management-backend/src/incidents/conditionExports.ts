import { createConditionExports } from '@backstage/plugin-permission-node';
import {
  securityIncidentPermissionResourceRef,
  securityIncidentRules,
} from './incidentRules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: securityIncidentPermissionResourceRef,
  rules: securityIncidentRules,
});

/**
 * Conditions for permission policies over security incidents, e.g.
 * `securityIncidentConditions.affectsOwnedEntity({ ownerRefs })`.
 *
 * @public
 */
export const securityIncidentConditions = conditions;

/**
 * Wraps incident conditions into a conditional policy decision.
 *
 * @public
 */
export const createSecurityIncidentConditionalDecision =
  createConditionalDecision;
