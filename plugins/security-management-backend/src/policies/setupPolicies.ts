import { audited } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { readSecurityManagementSettings } from '../lib/config';
import { DatabasePolicyStore } from './DatabasePolicyStore';
import { PolicyStore } from './PolicyStore';
import { PolicySync } from './PolicySync';
import { registerPolicyRoutes } from './routes';

/**
 * Security policies as code: the policy tree read from the catalog on a
 * schedule (one replica at a time), with each statement's coverage served
 * from the applicability snapshot. Returns the store, whose
 * `listPoliciesDueForReview` the IT security report reads.
 */
export async function setupPolicies(
  options: CapabilityOptions,
): Promise<{ policies: PolicyStore }> {
  const { router, context, database, stores, scheduler } = options;
  const { catalog, auth, auditor, logger, config } = options;
  const store = await DatabasePolicyStore.create({ database });
  const sync = new PolicySync({ catalog, auth, store, logger });

  await scheduler.scheduleTask({
    id: 'security-management-policy-sync',
    frequency: readSecurityManagementSettings(config).syncFrequency,
    timeout: { minutes: 10 },
    initialDelay: { seconds: 15 },
    scope: 'global',
    fn: async () => {
      await audited({
        auditor,
        event: {
          eventId: 'policy-sync',
          severityLevel: 'medium',
          meta: { trigger: 'schedule' },
        },
        run: () => sync.run(),
        describe: result => ({ ...result }),
      });
    },
  });
  registerPolicyRoutes(router, {
    context,
    store,
    applicability: stores.applicability,
  });
  return { policies: store };
}
