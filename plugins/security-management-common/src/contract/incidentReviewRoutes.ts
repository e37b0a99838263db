import { idParamsSchema } from '../api';
import {
  incidentReviewInputSchema,
  remediationActionListItemSchema,
  remediationActionPageSchema,
  remediationActionQuerySchema,
  remediationActionStatusInputSchema,
  requiredRetestsSchema,
  retestQuerySchema,
} from '../postIncidentReviews';
import {
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityPostureReadPermission,
} from '../permissions';
import { incidentSchema } from '../types';
import { RouteContract } from './routeContract';

/**
 * Post-incident reviews and what they feed back: remediation actions and
 * the retests of failed controls. Part of the one route table,
 * `securityManagementRoutes`.
 */
export const incidentReviewRoutes = {
  setIncidentReview: {
    method: 'put',
    path: '/incidents/:id/review',
    tag: 'Incidents',
    summary: 'Record the post-incident review',
    description:
      'Root cause, lessons, remediation actions (each with an owner, a due date and a status) and, when sent, the controls that failed. An action sent with the `id` of one of this review keeps it; actions left out are removed. Every failed control then needs a retest on every entity it applies to until a pass tested after the incident closed.',
    permission: securityIncidentUpdatePermission.name,
    params: idParamsSchema,
    body: incidentReviewInputSchema,
    responses: { 200: incidentSchema },
    errors: [404, 409, 413],
  },
  listRemediationActions: {
    method: 'get',
    path: '/remediation-actions',
    tag: 'Incidents',
    summary:
      'A page of remediation actions of the incidents the caller may read, by due date',
    description:
      'Actions of incidents the caller may not read are neither listed nor counted.',
    permission: securityIncidentReadPermission.name,
    query: remediationActionQuerySchema,
    responses: { 200: remediationActionPageSchema },
  },
  updateRemediationAction: {
    method: 'patch',
    path: '/remediation-actions/:id',
    tag: 'Incidents',
    summary: "Change a remediation action's status",
    description:
      'Needs incident.update on its incident; an action of an incident the caller may not read is a 404.',
    permission: securityIncidentUpdatePermission.name,
    params: idParamsSchema,
    body: remediationActionStatusInputSchema,
    responses: { 200: remediationActionListItemSchema },
    errors: [404, 409, 413],
  },
  listRequiredRetests: {
    method: 'get',
    path: '/retests',
    tag: 'Posture',
    summary:
      'The controls that need a retest after a post-incident review, on an entity or the entities of an owner',
    description:
      'A pair is listed to whoever may read posture (it is part of the control status); the incidents that require it only to those who may read them.',
    permission: securityPostureReadPermission.name,
    query: retestQuerySchema,
    responses: { 200: requiredRetestsSchema },
  },
} as const satisfies Record<string, RouteContract>;
