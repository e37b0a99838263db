import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { SecurityControlIndex } from './processor/SecurityControlIndex';
import { SecurityControlProcessor } from './processor/SecurityControlProcessor';
import { SecurityPolicyProcessor } from './processor/SecurityPolicyProcessor';

/**
 * Adds the `SecurityControl` and `SecurityPolicy` kinds and their relations
 * to the catalog.
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
      },
      async init({ processing, catalog, auth, logger, config }) {
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
      },
    });
  },
});
