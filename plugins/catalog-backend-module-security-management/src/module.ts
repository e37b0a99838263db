import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { readOscalImports } from './oscal/config';
import {
  catalogControlNames,
  OscalRequirementProvider,
} from './oscal/OscalRequirementProvider';
import { SecurityControlIndex } from './processor/SecurityControlIndex';
import { SecurityControlProcessor } from './processor/SecurityControlProcessor';
import { SecurityPolicyProcessor } from './processor/SecurityPolicyProcessor';
import { SecurityRequirementProcessor } from './processor/SecurityRequirementProcessor';

/**
 * Adds the `SecurityControl`, `SecurityPolicy` and `SecurityRequirement`
 * kinds and their relations to the catalog, and the configured OSCAL
 * imports as entity providers.
 *
 * @public
 */
export const catalogModuleSecurityManagement = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'security-management',
  register(reg) {
    reg.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        events: eventsServiceRef,
      },
      async init({
        processing,
        catalog,
        auth,
        logger,
        config,
        scheduler,
        urlReader,
        events,
      }) {
        const ttlSeconds =
          config.getOptionalNumber(
            'securityManagement.catalog.controlCacheSeconds',
          ) ?? 30;
        const index = new SecurityControlIndex({
          catalog,
          auth,
          logger,
          ttlMs: ttlSeconds * 1000,
        });
        processing.addProcessor(new SecurityControlProcessor(index));
        processing.addProcessor(new SecurityPolicyProcessor());
        processing.addProcessor(new SecurityRequirementProcessor(index));

        const controlNames = catalogControlNames({ catalog, auth });
        for (const importConfig of readOscalImports(config)) {
          processing.addEntityProvider(
            new OscalRequirementProvider({
              config: importConfig,
              reader: urlReader,
              controlNames,
              logger,
              events,
              scheduler,
            }),
          );
        }
      },
    });
  },
});
