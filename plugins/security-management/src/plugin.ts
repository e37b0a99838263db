import { createPlugin } from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/**
 * The Security Management frontend plugin (legacy frontend system).
 *
 * @public
 */
export const securityManagementPlugin = createPlugin({
  id: 'security-management',
  routes: { root: rootRouteRef },
});
