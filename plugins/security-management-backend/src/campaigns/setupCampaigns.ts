import { audited } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { CampaignScope } from './CampaignScope';
import { CampaignService } from './CampaignService';
import { DatabaseCampaignStore } from './DatabaseCampaignStore';
import { registerCampaignRoutes } from './routes';

/**
 * Campaigns: routes, and a global task that archives campaigns past their
 * deadline and sends the owners' notices through the notifications
 * capability's notifier (topic `campaigns`).
 */
export async function setupCampaigns(
  options: CapabilityOptions,
  deps: { clock?: () => Date } = {},
): Promise<{ campaigns: CampaignService }> {
  const clock = deps.clock ?? (() => new Date());
  const store = await DatabaseCampaignStore.create({
    database: options.database,
  });
  const campaigns = new CampaignService({
    store,
    scope: new CampaignScope({ catalog: options.catalog, auth: options.auth }),
    notifier: options.notifier,
    logger: options.logger,
  });
  registerCampaignRoutes(options.router, {
    context: options.context,
    store,
    service: campaigns,
  });
  await options.scheduler.scheduleTask({
    id: 'security-management-campaign-transitions',
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      await audited({
        auditor: options.auditor,
        event: {
          eventId: 'campaign-transitions',
          severityLevel: 'low',
          meta: { trigger: 'schedule' },
        },
        run: () => campaigns.runTransitions(clock()),
        describe: result => ({
          archived: result.archived,
          notices: result.notices,
        }),
      });
    },
  });
  return { campaigns };
}
