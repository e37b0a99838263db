import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import {
  SecurityControlCollatorFactory,
  SecurityIncidentCollatorFactory,
  SecurityPolicyCollatorFactory,
} from './collators';

/**
 * Security controls, policies and incidents in Backstage search: a module
 * of the `search` plugin. The index is rebuilt every 10 minutes, once
 * across replicas (the scheduler's tasks are global).
 *
 * @public
 */
export const searchModuleSecurityManagement = createBackendModule({
  pluginId: 'search',
  moduleId: 'security-management-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ auth, discovery, scheduler, catalog, indexRegistry }) {
        const schedule = () =>
          scheduler.createScheduledTaskRunner({
            frequency: { minutes: 10 },
            timeout: { minutes: 15 },
            initialDelay: { seconds: 30 },
          });
        indexRegistry.addCollator({
          schedule: schedule(),
          factory: new SecurityControlCollatorFactory({ catalog, auth }),
        });
        indexRegistry.addCollator({
          schedule: schedule(),
          factory: new SecurityPolicyCollatorFactory({ catalog, auth }),
        });
        indexRegistry.addCollator({
          schedule: schedule(),
          factory: new SecurityIncidentCollatorFactory({ discovery, auth }),
        });
      },
    });
  },
});
