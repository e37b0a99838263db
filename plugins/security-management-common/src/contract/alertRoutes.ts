import { RouteContract } from './routeContract';

/**
 * Security alerts: raised by managers or rules, shown as banners on affected entities.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const alertRoutes = {} as const satisfies Record<string, RouteContract>;
