import { FRAMEWORK_IMPORT_EVENT_TOPIC } from '@open-itsm/plugin-security-management-common';
import { audited } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { readSecurityManagementSettings } from '../lib/config';
import { DatabaseFrameworkStore } from './DatabaseFrameworkStore';
import { FrameworkService } from './FrameworkService';
import { recordImportEvent } from './importEvents';
import { RequirementSync } from './RequirementSync';
import { registerFrameworkRoutes } from './routes';

/**
 * Frameworks: the SecurityRequirements of the catalog read on a schedule
 * (one replica at a time), the OSCAL imports' outcomes kept from the
 * events the catalog module publishes, and the Statement of Applicability
 * and coverage served from them, the control library and posture.
 */
export async function setupFrameworks(
  options: CapabilityOptions,
): Promise<void> {
  const { router, context, database, stores, scheduler, events } = options;
  const { catalog, auth, auditor, logger, config } = options;
  const settings = readSecurityManagementSettings(config);
  const store = await DatabaseFrameworkStore.create({ database });
  const sync = new RequirementSync({ catalog, auth, store, logger });
  const service = new FrameworkService({
    store,
    applicability: stores.applicability,
    posture: stores.posture,
    catalog,
    reviewDueSoon: settings.reviewDueSoon,
    logger,
  });

  await events.subscribe({
    id: 'framework-imports',
    topics: [FRAMEWORK_IMPORT_EVENT_TOPIC],
    onEvent: event => recordImportEvent({ event, store, logger }),
  });
  await scheduler.scheduleTask({
    id: 'security-management-framework-sync',
    frequency: settings.syncFrequency,
    timeout: { minutes: 10 },
    initialDelay: { seconds: 20 },
    scope: 'global',
    fn: async () => {
      await audited({
        auditor,
        event: {
          eventId: 'framework-sync',
          severityLevel: 'medium',
          meta: { trigger: 'schedule' },
        },
        run: () => sync.run(),
        describe: result => ({ ...result }),
      });
    },
  });
  registerFrameworkRoutes(router, { context, service, store });
}
