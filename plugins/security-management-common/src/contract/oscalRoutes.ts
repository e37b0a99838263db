import { RouteContract } from './routeContract';

/**
 * OSCAL exports (assessment results, component definitions), the Statement of Applicability and framework coverage.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const oscalRoutes = {} as const satisfies Record<string, RouteContract>;
