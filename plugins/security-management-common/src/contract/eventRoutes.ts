import { RouteContract } from './routeContract';

/**
 * Security events and the correlation rules that turn them into incidents.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const securityEventRoutes = {} as const satisfies Record<string, RouteContract>;
