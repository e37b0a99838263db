import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { SecurityManagementClient, securityManagementApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The Security Management frontend plugin (legacy frontend system).
 *
 * @public
 */
export const securityManagementPlugin = createPlugin({
  id: 'security-management',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: securityManagementApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SecurityManagementClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The security managers' page, mounted on `rootRouteRef`.
 *
 * @public
 */
export const SecurityManagementPage: () => JSX.Element =
  securityManagementPlugin.provide(
    createRoutableExtension({
      name: 'SecurityManagementPage',
      component: () =>
        import('./securityPage').then(m => m.SecurityManagementPage),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The posture card for an entity's overview.
 *
 * @public
 */
export const EntitySecurityPostureCard: () => JSX.Element =
  securityManagementPlugin.provide(
    createComponentExtension({
      name: 'EntitySecurityPostureCard',
      component: {
        lazy: () =>
          import('./entityPostureCard').then(m => m.EntitySecurityPostureCard),
      },
    }),
  );

/**
 * The Security tab of an entity page.
 *
 * @public
 */
export const EntitySecurityContent: () => JSX.Element =
  securityManagementPlugin.provide(
    createComponentExtension({
      name: 'EntitySecurityContent',
      component: {
        lazy: () => import('./entityTab').then(m => m.EntitySecurityContent),
      },
    }),
  );

/**
 * The coverage card for a SecurityControl's page.
 *
 * @public
 */
export const SecurityControlCoverageCard: () => JSX.Element =
  securityManagementPlugin.provide(
    createComponentExtension({
      name: 'SecurityControlCoverageCard',
      component: {
        lazy: () =>
          import('./controlCoverageCard').then(
            m => m.SecurityControlCoverageCard,
          ),
      },
    }),
  );

/**
 * The active security alerts of the current entity, as banners: place it at
 * the top of an entity page. Renders nothing when there is none.
 *
 * @public
 */
export const EntitySecurityAlertBanner: () => JSX.Element | null =
  securityManagementPlugin.provide(
    createComponentExtension({
      name: 'EntitySecurityAlertBanner',
      component: {
        lazy: () => import('./alerts').then(m => m.EntitySecurityAlertBanner),
      },
    }),
  );
