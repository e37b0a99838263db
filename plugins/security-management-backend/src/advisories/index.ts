import { audited } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { AdvisoryFeedStore } from './AdvisoryFeedStore';
import { AdvisoryFindingStore } from './AdvisoryFindingStore';
import { AdvisoryService } from './AdvisoryService';
import { readAdvisorySettings } from './config';
import { registerAdvisoryRoutes } from './routes';

export type { KnownExploitedFinding } from './AdvisoryService';

/**
 * Security advisories: feeds read on a schedule, matched to the components
 * of catalog entities, with a lifecycle per affected entity.
 */
export async function setupAdvisories(
  options: CapabilityOptions,
): Promise<{ advisories: AdvisoryService }> {
  const { database, scheduler, auditor, logger, config } = options;
  const settings = readAdvisorySettings(config);
  const feeds = await AdvisoryFeedStore.create({ database });
  const findings = await AdvisoryFindingStore.create({ database });
  const service = new AdvisoryService({
    feeds,
    findings,
    reader: options.urlReader,
    catalog: options.catalog,
    auth: options.auth,
    logger,
    settings,
  });

  await scheduler.scheduleTask({
    id: 'security-management-advisories',
    frequency: settings.frequency,
    timeout: settings.timeout,
    initialDelay: { seconds: 20 },
    scope: 'global',
    fn: async () => {
      await audited({
        auditor,
        event: {
          eventId: 'advisory-refresh',
          severityLevel: 'medium',
          meta: { trigger: 'schedule' },
        },
        run: () => service.refreshAll(),
        describe: result => ({
          feeds: result.feeds.map(feed => `${feed.id}:${feed.status}`),
          entitiesMatched: result.entitiesMatched,
          findingsOpened: result.findingsOpened,
          findingsResolved: result.findingsResolved,
        }),
      });
    },
  });

  registerAdvisoryRoutes(options.router, {
    context: options.context,
    feeds,
    findings,
    service,
  });
  return { advisories: service };
}
