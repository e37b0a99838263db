import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  SECURITY_MANAGEMENT_PLUGIN_ID,
  securityManagementRoutes,
  securityManagementPermissions,
} from '@open-itsm/plugin-security-management-common';
import { setupActions } from './actions';
import { setupAdvisories } from './advisories';
import { setupAlerts } from './alerts';
import { setupCampaigns } from './campaigns';
import { CatalogSync } from './applicability/CatalogSync';
import {
  catalogErrorRetentionMs,
  ControlsNotInEffect,
} from './applicability/ControlsNotInEffect';
import { registerApplicabilityRoutes } from './applicability/routes';
import { setupCorrelation } from './correlation';
import { setupFrameworks } from './frameworks';
import { setupHistory } from './history';
import { setupNotifications } from './notifications';
import { setupOscal } from './oscal';
import { setupPolicies } from './policies';
import { createSecurityStores } from './database';
import { ExceptionService } from './exceptions/ExceptionService';
import { registerExceptionRoutes } from './exceptions/routes';
import { DailyHousekeeping } from './housekeeping/DailyHousekeeping';
import {
  securityIncidentPermissionResourceRef,
  securityIncidentRules,
} from './incidents/incidentRules';
import { IncidentService } from './incidents/IncidentService';
import { registerIncidentRoutes } from './incidents/routes';
import { setupPostIncidentReviews } from './incidents/setupPostIncidentReviews';
import { audited } from './lib/audit';
import { readSecurityManagementSettings } from './lib/config';
import { createSecurityRouter } from './lib/routing';
import { registerPostureRoutes } from './posture/routes';
import { setupReports } from './reports';
import { createReviewChangeDetector } from './reviews/ReviewChangeDetector';
import { ReviewService } from './reviews/ReviewService';
import { registerReviewRoutes } from './reviews/routes';
import { registerTestingRoutes } from './testing/routes';
import { TestingService } from './testing/TestingService';

/**
 * The Security Management backend plugin.
 *
 * @public
 */
export const securityManagementPlugin = createBackendPlugin({
  pluginId: SECURITY_MANAGEMENT_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        urlReader: coreServices.urlReader,
        actionsRegistry: actionsRegistryServiceRef,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        database,
        scheduler,
        logger,
        config,
        catalog,
        events,
        urlReader,
        actionsRegistry,
        lifecycle,
        notifications,
      }) {
        const settings = readSecurityManagementSettings(config);
        const stores = await createSecurityStores({ database });
        const { applicability } = stores;
        const testingService = new TestingService({
          applicability,
          testing: stores.testing,
        });
        const incidentService = new IncidentService({
          applicability,
          incidents: stores.incidents,
        });
        const reviewService = new ReviewService({
          applicability,
          reviews: stores.reviews,
          reviewCadenceByTier: settings.reviewCadenceByTier,
        });
        const exceptionService = new ExceptionService({
          applicability,
          exceptions: stores.exceptions,
        });
        const catalogSync = new CatalogSync({
          catalog,
          auth,
          store: applicability,
          logger,
          reviewChanges: await createReviewChangeDetector({
            database,
            catalog,
            auth,
            config,
            logger,
          }),
        });
        const notInEffect = new ControlsNotInEffect({
          catalog,
          auth,
          store: stores.catalogProblems,
          logger,
          errorRetentionMs: catalogErrorRetentionMs(config),
        });
        const housekeeping = new DailyHousekeeping({
          exceptions: stores.exceptions,
          testing: stores.testing,
          auditor,
          logger,
        });

        permissionsRegistry.addPermissions(securityManagementPermissions);
        permissionsRegistry.addResourceType({
          resourceRef: securityIncidentPermissionResourceRef,
          permissions: securityManagementPermissions.filter(
            permission => permission.type === 'resource',
          ),
          rules: Object.values(securityIncidentRules),
          getResources: ids =>
            Promise.all(ids.map(id => incidentService.getIncidentResource(id))),
        });
        const transformIncidentConditions = createConditionTransformer(
          permissionsRegistry.getPermissionRuleset(
            securityIncidentPermissionResourceRef,
          ),
        );

        // The catalog reports what it could not store only as events.
        await events.subscribe({
          id: 'controls-not-in-effect',
          topics: ControlsNotInEffect.topics,
          onEvent: event => notInEffect.record(event),
        });
        await scheduler.scheduleTask({
          id: 'security-management-catalog-sync',
          frequency: settings.syncFrequency,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 10 },
          scope: 'global',
          fn: async () => {
            await audited({
              auditor,
              event: {
                eventId: 'applicability-refresh',
                severityLevel: 'medium',
                meta: { trigger: 'schedule' },
              },
              run: () => catalogSync.run(),
              describe: result => ({ ...result }),
            });
          },
        });
        await scheduler.scheduleTask({
          id: 'security-management-daily-housekeeping',
          frequency: { cron: '0 3 * * *' },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: async () => {
            await housekeeping.run();
          },
        });

        const { router, context } = createSecurityRouter({
          httpAuth,
          permissions,
          auditor,
          logger,
        });
        registerApplicabilityRoutes(router, {
          context,
          store: applicability,
          catalogSync,
          notInEffect,
        });
        registerTestingRoutes(router, {
          context,
          store: stores.testing,
          service: testingService,
        });
        registerPostureRoutes(router, {
          context,
          store: stores.posture,
          reviewDueSoon: settings.reviewDueSoon,
          transformConditions: transformIncidentConditions,
        });
        registerIncidentRoutes(router, {
          context,
          store: stores.incidents,
          service: incidentService,
          transformConditions: transformIncidentConditions,
        });
        registerReviewRoutes(router, {
          context,
          store: stores.reviews,
          service: reviewService,
        });
        registerExceptionRoutes(router, {
          context,
          store: stores.exceptions,
          service: exceptionService,
        });
        const { notifier } = await setupNotifications({
          database,
          scheduler,
          auditor,
          logger,
          config,
          notifications,
        });
        const capability = {
          router,
          context,
          database,
          stores,
          incidentService,
          urlReader,
          scheduler,
          catalog,
          auth,
          auditor,
          logger,
          config,
          events,
          lifecycle,
          notifier,
        };
        const { alerts } = await setupAlerts(capability);
        const { advisories } = await setupAdvisories(capability, { alerts });
        setupActions(capability, {
          actionsRegistry,
          advisories,
          transformConditions: transformIncidentConditions,
        });
        await setupCorrelation(capability);
        const { policies } = await setupPolicies(capability);
        await setupReports(capability, {
          transformConditions: transformIncidentConditions,
          policies,
        });
        await setupOscal(capability);
        await setupFrameworks(capability);
        await setupPostIncidentReviews(capability, {
          transformConditions: transformIncidentConditions,
        });
        await setupHistory(capability);
        await setupCampaigns(capability);
        httpRouter.use(router);
        httpRouter.addAuthPolicy({
          path: securityManagementRoutes.getHealth.path,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
