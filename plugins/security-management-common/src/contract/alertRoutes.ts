import { idParamsSchema } from '../api';
import {
  alertInputSchema,
  alertPageSchema,
  alertQuerySchema,
  alertResolutionInputSchema,
  entityAlertsQuerySchema,
  entityAlertsSchema,
  securityAlertSchema,
} from '../alerts';
import {
  securityAlertManagePermission,
  securityPostureReadPermission,
} from '../permissions';
import { RouteContract } from './routeContract';

/**
 * Security alerts: raised by managers or rules, shown as banners on affected entities.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const alertRoutes = {
  raiseAlert: {
    method: 'post',
    path: '/alerts',
    tag: 'Alerts',
    summary: 'Raise a security alert',
    description:
      'The affected entities are resolved from the catalog now: named `entityRefs` must exist, and a `filter` must match at least one entity. The expiry, if any, must be in the future.',
    permission: securityAlertManagePermission.name,
    body: alertInputSchema,
    responses: { 201: securityAlertSchema },
    errors: [413],
  },
  listAlerts: {
    method: 'get',
    path: '/alerts',
    tag: 'Alerts',
    summary: 'A page of security alerts, newest first',
    description:
      'An unresolved alert past its expiry is `expired`. `counts` has every status under the same `entityRef` filter.',
    permission: securityPostureReadPermission.name,
    query: alertQuerySchema,
    responses: { 200: alertPageSchema },
  },
  resolveAlert: {
    method: 'post',
    path: '/alerts/:id/resolve',
    tag: 'Alerts',
    summary: 'Resolve a security alert',
    description:
      'An alert is resolved once; resolving it again is a 409. An expired alert may still be resolved.',
    permission: securityAlertManagePermission.name,
    params: idParamsSchema,
    body: alertResolutionInputSchema,
    responses: { 200: securityAlertSchema },
    errors: [404, 409, 413],
  },
  listEntityAlerts: {
    method: 'get',
    path: '/entities/alerts',
    tag: 'Alerts',
    summary: 'The active alerts affecting one entity',
    description:
      'Unresolved and unexpired alerts only, the most severe first, for the banner on its page.',
    permission: securityPostureReadPermission.name,
    query: entityAlertsQuerySchema,
    responses: { 200: entityAlertsSchema },
  },
} as const satisfies Record<string, RouteContract>;
