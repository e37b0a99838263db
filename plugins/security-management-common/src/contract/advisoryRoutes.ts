import * as advisories from '../advisories';
import {
  securityAdvisoryManagePermission,
  securityAdvisoryUpdatePermission,
  securityPostureReadPermission,
  securityReportReadPermission,
} from '../permissions';
import { idParamsSchema } from '../api';
import { RouteContract } from './routeContract';

/**
 * Security advisories: feeds, matches to catalog entities and their lifecycle.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const advisoryRoutes = {
  listAdvisoryFindings: {
    method: 'get',
    path: '/advisories/findings',
    tag: 'Advisories',
    summary: 'Advisories affecting catalog entities, across the organisation',
    description:
      'Active findings (open, acknowledged) by default; filter by severity, known exploitation, overdue, owner, entity or advisory. `counts` counts every finding the filters select.',
    permission: securityReportReadPermission.name,
    query: advisories.advisoryFindingQuerySchema,
    responses: { 200: advisories.advisoryFindingPageSchema },
  },
  getEntityAdvisories: {
    method: 'get',
    path: '/advisories/entity',
    tag: 'Advisories',
    summary: 'The advisories affecting one entity, with the reasons',
    description:
      'Active findings by default (`all=true` for every status), and where its components came from, with any error reading them.',
    permission: securityPostureReadPermission.name,
    query: advisories.entityAdvisoriesQuerySchema,
    responses: { 200: advisories.entityAdvisoriesSchema },
  },
  transitionAdvisoryFinding: {
    method: 'post',
    path: '/advisories/findings/:id/transition',
    tag: 'Advisories',
    summary: 'Acknowledge, mitigate, declare not affected, resolve or reopen',
    description:
      'Not affected needs a VEX justification; mitigated, not affected and resolved need a note. Moving to the status a finding already has is a 409.',
    permission: securityAdvisoryUpdatePermission.name,
    params: idParamsSchema,
    body: advisories.advisoryFindingTransitionInputSchema,
    responses: { 200: advisories.advisoryFindingSchema },
    errors: [404, 409, 413],
  },
  refreshEntityAdvisories: {
    method: 'post',
    path: '/advisories/entity/refresh',
    tag: 'Advisories',
    summary: "Re-read one entity's components now and match them",
    description:
      'For CI after a build publishes a new SBOM: the entity is read from the catalog, its SBOM and purls read again, and its findings brought up to date.',
    permission: securityAdvisoryUpdatePermission.name,
    body: advisories.entityAdvisoryRefreshInputSchema,
    responses: { 200: advisories.entityAdvisoriesSchema },
    errors: [404, 413],
  },
  getAdvisoryFeeds: {
    method: 'get',
    path: '/advisories/feeds',
    tag: 'Advisories',
    summary: 'The advisory feeds and any component source that failed',
    permission: securityReportReadPermission.name,
    responses: { 200: advisories.advisoryFeedStatusSchema },
  },
  refreshAdvisories: {
    method: 'post',
    path: '/advisories/refresh',
    tag: 'Advisories',
    summary: 'Read every feed and every entity’s components now, and match',
    description:
      'What the schedule does. A feed that fails keeps its previous state; the answer says which failed and why.',
    permission: securityAdvisoryManagePermission.name,
    responses: { 200: advisories.advisoryRefreshResultSchema },
  },
} as const satisfies Record<string, RouteContract>;
