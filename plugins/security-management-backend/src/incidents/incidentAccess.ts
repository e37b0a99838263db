import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
} from '@open-itsm/plugin-security-management-common';
import { ResourceAccess, SecurityAuthorizer } from '../lib/authorization';
import { IncidentFilter, IncidentRuleQuery } from './IncidentStore';

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

/**
 * Checks that the caller may change something of an incident (the
 * incident, its review, one of its remediation actions). `find` looks the
 * thing up under a filter. One the caller cannot see is a 404, so that
 * its existence is not revealed; one they can see but not change is a 403.
 */
export async function requireIncidentUpdate(options: {
  authorizer: SecurityAuthorizer;
  credentials: BackstageCredentials;
  transformConditions: ConditionTransformer<IncidentRuleQuery>;
  /** What is checked, for the messages: `incident 'x'`. */
  what: string;
  find: (filter: IncidentFilter | undefined) => Promise<boolean>;
}): Promise<void> {
  const { authorizer, credentials, transformConditions, what, find } = options;
  const [read, update] = await authorizer.resourceAccess({
    permissions: [
      securityIncidentReadPermission,
      securityIncidentUpdatePermission,
    ],
    credentials,
    transformConditions,
  });
  if (!update.allowed) {
    throw new NotAllowedError(
      `You are not allowed to do this (${securityIncidentUpdatePermission.name})`,
    );
  }
  if (await find(update.filter)) return;
  const visible = read.allowed && (await find(read.filter));
  if (!visible) throw new NotFoundError(`No ${what}`);
  throw new NotAllowedError(
    `You are not allowed to change ${what} (${securityIncidentUpdatePermission.name})`,
  );
}
