import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import SecurityIcon from '@material-ui/icons/Security';
import { SecurityManagementClient, securityManagementApiRef } from './api';
import { canHaveSecurityAlerts } from './alerts/alertConditions';
import { isSecurityManagementAvailable } from './conditions';
import { rootRouteRef } from './routes';
import {
  SECURITY_SEARCH_TYPES,
  SecuritySearchResultListItem,
  SecuritySearchType,
} from './search';

/** @alpha */
export const securityManagementApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: securityManagementApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SecurityManagementClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The security managers' page. Its title and icon also make it the
 * "Security" item of the app's navigation.
 *
 * @alpha
 */
export const securityManagementPage = PageBlueprint.make({
  params: {
    path: '/security-management',
    title: 'Security',
    icon: <SecurityIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./securityPage').then(m => <m.SecurityManagementTabs />),
  },
});

/** @alpha */
export const entitySecurityPostureCard = EntityCardBlueprint.make({
  name: 'posture',
  params: {
    type: 'info',
    filter: isSecurityManagementAvailable,
    loader: () =>
      import('./entityPostureCard').then(m => <m.EntitySecurityPostureCard />),
  },
});

/** @alpha */
export const entitySecurityContent = EntityContentBlueprint.make({
  name: 'security',
  params: {
    path: 'security',
    title: 'Security',
    filter: isSecurityManagementAvailable,
    loader: () => import('./entityTab').then(m => <m.EntitySecurityContent />),
  },
});

/** @alpha */
export const securityControlCoverageCard = EntityCardBlueprint.make({
  name: 'control-coverage',
  params: {
    filter: { kind: 'securitycontrol' },
    loader: () =>
      import('./controlCoverageCard').then(m => (
        <m.SecurityControlCoverageCard />
      )),
  },
});

/**
 * The active security alerts of an entity, as banners at the top of its
 * overview: a content card that renders nothing when there is none. List
 * `entity-card:security-management/alerts` first under `app.extensions` to
 * put it above the other cards.
 *
 * @alpha
 */
export const entitySecurityAlertBanner = EntityCardBlueprint.make({
  name: 'alerts',
  params: {
    type: 'content',
    filter: canHaveSecurityAlerts,
    loader: () => import('./alerts').then(m => <m.EntitySecurityAlertBanner />),
  },
});

const searchTypeName = (type: SecuritySearchType) =>
  type.replace(/^security-/, '');

/**
 * Search results of Security Management's document types (from the backend's
 * `searchModuleSecurityManagement`), labelled with their type.
 *
 * @alpha
 */
export const securitySearchResultListItems = (
  Object.keys(SECURITY_SEARCH_TYPES) as SecuritySearchType[]
).map(type =>
  SearchResultListItemBlueprint.make({
    name: searchTypeName(type),
    params: {
      predicate: result => result.type === type,
      icon: <SecurityIcon />,
      component: async () => props =>
        <SecuritySearchResultListItem {...props} type={type} />,
    },
  }),
);

/**
 * The search page's result type filter entries for those types.
 *
 * @alpha
 */
export const securitySearchResultTypes = (
  Object.keys(SECURITY_SEARCH_TYPES) as SecuritySearchType[]
).map(type =>
  SearchFilterResultTypeBlueprint.make({
    name: searchTypeName(type),
    params: {
      value: type,
      name: `${SECURITY_SEARCH_TYPES[type]}s`,
      icon: <SecurityIcon />,
    },
  }),
);

/**
 * The Security Management frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'security-management',
  title: 'Security',
  icon: <SecurityIcon />,
  routes: { root: rootRouteRef },
  extensions: [
    securityManagementApi,
    securityManagementPage,
    entitySecurityPostureCard,
    entitySecurityContent,
    securityControlCoverageCard,
    entitySecurityAlertBanner,
    ...securitySearchResultListItems,
    ...securitySearchResultTypes,
  ],
});
