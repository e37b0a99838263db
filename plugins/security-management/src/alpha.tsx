import { createFrontendPlugin } from '@backstage/frontend-plugin-api';

/**
 * The Security Management frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'security-management',
  extensions: [],
});
