import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  SECURITY_MANAGEMENT_PLUGIN_ID,
  SECURITY_MANAGEMENT_ROUTES,
  securityManagementPermissions,
} from '@open-itsm/plugin-security-management-common';
import { createSecurityStores } from './database';
import { audited } from './lib/audit';
import { CatalogSync } from './applicability/CatalogSync';
import { readSecurityManagementSettings } from './lib/config';
import { DailyHousekeeping } from './service/DailyHousekeeping';
import {
  securityIncidentPermissionResourceRef,
  securityIncidentRules,
} from './incidents/incidentRules';
import { IncidentService } from './incidents/IncidentService';
import { ReportBuilder } from './service/ReportBuilder';
import { createRouter } from './service/router';

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
      }) {
        const settings = readSecurityManagementSettings(config);
        const stores = await createSecurityStores({ database });
        const incidentService = new IncidentService({
          applicability: stores.applicability,
          incidents: stores.incidents,
        });
        const catalogSync = new CatalogSync({
          catalog,
          auth,
          store: stores.applicability,
          logger,
        });
        const housekeeping = new DailyHousekeeping({
          exceptions: stores.exceptions,
          testing: stores.testing,
          auditor,
          logger,
        });
        const reports = new ReportBuilder({
          applicability: stores.applicability,
          posture: stores.posture,
          incidents: stores.incidents,
          exceptions: stores.exceptions,
          reviewDueSoon: settings.reviewDueSoon,
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
                severityLevel: 'low',
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

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            auditor,
            stores,
            incidentService,
            reports,
            catalogSync,
            transformIncidentConditions,
            reviewDueSoon: settings.reviewDueSoon,
            reviewCadenceByTier: settings.reviewCadenceByTier,
          }),
        );
        httpRouter.addAuthPolicy({
          path: SECURITY_MANAGEMENT_ROUTES.health,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
