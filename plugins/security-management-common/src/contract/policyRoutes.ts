import { RouteContract } from './routeContract';

/**
 * Security policies as code, and the policy tree with each statement's coverage.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const policyRoutes = {} as const satisfies Record<string, RouteContract>;
