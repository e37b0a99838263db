import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import { securityIncidentReadPermission } from '@open-itsm/plugin-security-management-common';
import { ResourceAccess, SecurityAuthorizer } from '../lib/authorization';
import { IncidentRuleQuery } from './IncidentStore';

/**
 * The incidents a caller may read: none, all, or those a conditional
 * decision's filter lets through.
 */
export type IncidentReadAccess = ResourceAccess<IncidentRuleQuery>;

/**
 * The incidents the caller may read, for the counts shown beside posture.
 * Unlike GET /incidents, a denial is no error here: it only leaves the
 * counts out of the answer.
 */
export async function incidentReadAccess(options: {
  authorizer: SecurityAuthorizer;
  credentials: BackstageCredentials;
  transformConditions: ConditionTransformer<IncidentRuleQuery>;
}): Promise<IncidentReadAccess> {
  const { authorizer, credentials, transformConditions } = options;
  const [access] = await authorizer.resourceAccess({
    permissions: [securityIncidentReadPermission],
    credentials,
    transformConditions,
  });
  return access;
}
