import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  Incident,
  INCIDENT_SEVERITIES,
  IncidentSeverity,
  SECURITY_INCIDENT_RESOURCE_TYPE,
  SECURITY_MANAGEMENT_PLUGIN_ID,
} from '@open-itsm/plugin-security-management-common';
import { z } from 'zod';
import { IncidentRuleQuery } from './IncidentStore';

/**
 * An incident as the permission rules see it: the incident plus the owners
 * of the entities it affects, as lower-case entity refs.
 *
 * @public
 */
export type SecurityIncidentResource = Incident & { affectedOwners: string[] };

/**
 * The incident resource type of the permission framework.
 *
 * @public
 */
export const securityIncidentPermissionResourceRef =
  createPermissionResourceRef<
    SecurityIncidentResource,
    IncidentRuleQuery
  >().with({
    pluginId: SECURITY_MANAGEMENT_PLUGIN_ID,
    resourceType: SECURITY_INCIDENT_RESOURCE_TYPE,
  });

const lowerCase = (refs: string[]) =>
  refs.map(ref => ref.toLocaleLowerCase('en-US'));

const affectsOwnedEntity = createPermissionRule({
  name: 'AFFECTS_OWNED_ENTITY',
  description:
    'Allow incidents that affect an entity owned by one of the given refs',
  resourceRef: securityIncidentPermissionResourceRef,
  paramsSchema: z.object({
    ownerRefs: z
      .array(z.string())
      .describe('Owner refs, usually the user and their groups'),
  }),
  apply: (incident, { ownerRefs }) => {
    const owners = new Set(lowerCase(ownerRefs));
    return incident.affectedOwners.some(owner => owners.has(owner));
  },
  toQuery: ({ ownerRefs }) => ({
    rule: 'affectsOwnedEntity',
    ownerRefs: lowerCase(ownerRefs),
  }),
});

const hasSeverity = createPermissionRule({
  name: 'HAS_SEVERITY',
  description: 'Allow incidents of the given severities',
  resourceRef: securityIncidentPermissionResourceRef,
  paramsSchema: z.object({
    severities: z
      .array(
        z.enum(
          INCIDENT_SEVERITIES as [IncidentSeverity, ...IncidentSeverity[]],
        ),
      )
      .describe('Severities to allow'),
  }),
  apply: (incident, { severities }) => severities.includes(incident.severity),
  toQuery: ({ severities }) => ({ rule: 'hasSeverity', severities }),
});

const reportedBy = createPermissionRule({
  name: 'REPORTED_BY',
  description: 'Allow incidents reported by one of the given principals',
  resourceRef: securityIncidentPermissionResourceRef,
  paramsSchema: z.object({
    userRefs: z
      .array(z.string())
      .describe('User entity refs or service principal subjects'),
  }),
  apply: (incident, { userRefs }) => userRefs.includes(incident.createdBy),
  toQuery: ({ userRefs }) => ({ rule: 'reportedBy', userRefs }),
});

/**
 * The permission rules for security incidents.
 *
 * @public
 */
export const securityIncidentRules = {
  affectsOwnedEntity,
  hasSeverity,
  reportedBy,
};
