import {
  securityEventCreatePermission,
  securityReportReadPermission,
} from '../permissions';
import * as events from '../securityEvents';
import { RouteContract } from './routeContract';

/**
 * Security events and the correlation rules that turn them into incidents.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const securityEventRoutes = {
  postSecurityEvents: {
    method: 'post',
    path: '/security-events',
    tag: 'Security events',
    summary: 'Send security events for correlation (scanners, SIEMs)',
    description:
      'Up to 1,000 JSON objects of at most 64 KB each. Each is stored once: an event with the `id` of one already stored on the topic (or without an id, with the same content) counts as a duplicate. The correlation rules of the configuration filter the new events, group them by fingerprint and open or extend incidents; `firings` lists the incidents that received events.',
    permission: securityEventCreatePermission.name,
    body: events.securityEventBatchInputSchema,
    responses: { 200: events.securityEventPostResultSchema },
    errors: [413],
  },
  listCorrelationRules: {
    method: 'get',
    path: '/correlation/rules',
    tag: 'Security events',
    summary: 'The correlation rules, with what each matched and fired',
    description:
      'Counters cover the events kept (see `retention`). Firings count only incidents the caller may read and are left out when the caller may read none.',
    permission: securityReportReadPermission.name,
    responses: { 200: events.correlationRuleListSchema },
  },
  listCorrelationFirings: {
    method: 'get',
    path: '/correlation/firings',
    tag: 'Security events',
    summary: 'Incidents the correlation rules opened, newest first',
    description:
      'Needs the report permission and reading incidents; incidents the caller may not read are neither listed nor counted.',
    permission: securityReportReadPermission.name,
    query: events.correlationFiringQuerySchema,
    responses: { 200: events.correlationFiringPageSchema },
  },
} as const satisfies Record<string, RouteContract>;
