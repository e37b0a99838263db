import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The resource type of security incidents; policies can return conditional
 * decisions for it (see the backend's permission rules).
 *
 * @public
 */
export const SECURITY_INCIDENT_RESOURCE_TYPE = 'security-incident';

/** @public */
export type SecurityIncidentPermission = ResourcePermission<
  typeof SECURITY_INCIDENT_RESOURCE_TYPE
>;

/** Read posture, controls, test records, reviews and exceptions. @public */
export const securityPostureReadPermission = createPermission({
  name: 'security-management.posture.read',
  attributes: { action: 'read' },
});

/** Record security test results (people and CI). @public */
export const securityTestRecordCreatePermission = createPermission({
  name: 'security-management.test-record.create',
  attributes: { action: 'create' },
});

/** Read incident details; conditional on the incident. @public */
export const securityIncidentReadPermission = createPermission({
  name: 'security-management.incident.read',
  attributes: { action: 'read' },
  resourceType: SECURITY_INCIDENT_RESOURCE_TYPE,
});

/** Open an incident. @public */
export const securityIncidentCreatePermission = createPermission({
  name: 'security-management.incident.create',
  attributes: { action: 'create' },
});

/** Edit an incident, move it through its phases, record its review. @public */
export const securityIncidentUpdatePermission = createPermission({
  name: 'security-management.incident.update',
  attributes: { action: 'update' },
  resourceType: SECURITY_INCIDENT_RESOURCE_TYPE,
});

/** Record a security review of an entity. @public */
export const securityReviewCreatePermission = createPermission({
  name: 'security-management.review.create',
  attributes: { action: 'create' },
});

/** Request a risk acceptance (exception) for a control on an entity. @public */
export const securityExceptionRequestPermission = createPermission({
  name: 'security-management.exception.request',
  attributes: { action: 'create' },
});

/** Approve or reject an exception request. @public */
export const securityExceptionDecidePermission = createPermission({
  name: 'security-management.exception.decide',
  attributes: { action: 'update' },
});

/** Read the organisation-wide report and roll-ups. @public */
export const securityReportReadPermission = createPermission({
  name: 'security-management.report.read',
  attributes: { action: 'read' },
});

/** Trigger a refresh of which controls apply to which entities. @public */
export const securityApplicabilityRefreshPermission = createPermission({
  name: 'security-management.applicability.refresh',
  attributes: { action: 'update' },
});

/**
 * Move an advisory finding through its lifecycle on an entity (acknowledge,
 * mitigate, declare not affected, resolve) and re-read its components.
 *
 * @public
 */
export const securityAdvisoryUpdatePermission = createPermission({
  name: 'security-management.advisory.update',
  attributes: { action: 'update' },
});

/** Re-read the advisory feeds now, and see their errors. @public */
export const securityAdvisoryManagePermission = createPermission({
  name: 'security-management.advisory.manage',
  attributes: { action: 'update' },
});

/** Raise and resolve security alerts. @public */
export const securityAlertManagePermission = createPermission({
  name: 'security-management.alert.manage',
  attributes: { action: 'create' },
});

/** Post security events for correlation (scanners, SIEMs). @public */
export const securityEventCreatePermission = createPermission({
  name: 'security-management.event.create',
  attributes: { action: 'create' },
});

/** Start and close campaigns. @public */
export const securityCampaignManagePermission = createPermission({
  name: 'security-management.campaign.manage',
  attributes: { action: 'create' },
});

/**
 * Every permission of the Security Management plugins.
 *
 * @public
 */
export const securityManagementPermissions = [
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
  securityIncidentReadPermission,
  securityIncidentCreatePermission,
  securityIncidentUpdatePermission,
  securityReviewCreatePermission,
  securityExceptionRequestPermission,
  securityExceptionDecidePermission,
  securityReportReadPermission,
  securityApplicabilityRefreshPermission,
  securityAdvisoryUpdatePermission,
  securityAdvisoryManagePermission,
  securityAlertManagePermission,
  securityEventCreatePermission,
  securityCampaignManagePermission,
];
