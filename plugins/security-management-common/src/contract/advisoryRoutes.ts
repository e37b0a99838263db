import { RouteContract } from './routeContract';

/**
 * Security advisories: feeds, matches to catalog entities and their lifecycle.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const advisoryRoutes = {} as const satisfies Record<string, RouteContract>;
