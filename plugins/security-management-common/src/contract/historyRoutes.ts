import {
  entityTrendQuerySchema,
  groupTrendQuerySchema,
  postureChangesSchema,
  postureTrendSchema,
} from '../history';
import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '../permissions';
import { RouteContract } from './routeContract';

/**
 * Posture history: trends from the daily snapshots and what changed over a
 * period. An entity's history needs what its posture needs; a group's or
 * the organisation's what the roll-up needs. Part of the one route table,
 * `securityManagementRoutes`.
 */
export const historyRoutes = {
  getEntityTrend: {
    method: 'get',
    path: '/history/entity',
    tag: 'History',
    summary: "An entity's daily posture over the last 30, 90 or 365 days",
    description:
      'One point per day with a snapshot, oldest first; none before the first snapshot or backfilled day. Open incidents are not part of the history: they are counted per reader on the posture itself.',
    permission: securityPostureReadPermission.name,
    query: entityTrendQuerySchema,
    responses: { 200: postureTrendSchema },
  },
  getGroupTrend: {
    method: 'get',
    path: '/history/trend',
    tag: 'History',
    summary:
      "The organisation's, an owner's, a system's or a domain's daily posture over the last 30, 90 or 365 days",
    description:
      'Summed over the entities the group had on each day (as the roll-up sums them); `key` names the group, and is left out for the organisation.',
    permission: securityReportReadPermission.name,
    query: groupTrendQuerySchema,
    responses: { 200: postureTrendSchema },
  },
  getEntityChanges: {
    method: 'get',
    path: '/history/entity/changes',
    tag: 'History',
    summary:
      "What changed in an entity's controls over the last 30, 90 or 365 days",
    description:
      'New failures, newly overdue and fixed controls, derived from the test and exception records at the start and the end of the period, newest first.',
    permission: securityPostureReadPermission.name,
    query: entityTrendQuerySchema,
    responses: { 200: postureChangesSchema },
  },
  getGroupChanges: {
    method: 'get',
    path: '/history/changes',
    tag: 'History',
    summary:
      "What changed in the organisation's, an owner's, a system's or a domain's controls over the last 30, 90 or 365 days",
    description:
      "New failures, newly overdue and fixed controls of the group's entities in the catalog today, derived from the records, newest first.",
    permission: securityReportReadPermission.name,
    query: groupTrendQuerySchema,
    responses: { 200: postureChangesSchema },
  },
} as const satisfies Record<string, RouteContract>;
