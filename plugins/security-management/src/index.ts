/**
 * Security Management for Backstage: posture card, Security tab and the
 * security managers' page.
 *
 * @packageDocumentation
 */
export { securityManagementPlugin } from './plugin';
export { rootRouteRef } from './routes';
