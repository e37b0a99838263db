import { AlertService } from '../alerts';
import { audited } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { AdvisoryFeedStore } from './AdvisoryFeedStore';
import { AdvisoryFindingStore } from './AdvisoryFindingStore';
import { AdvisoryService } from './AdvisoryService';
import { MatchPool } from './entityMatcher';
import { readAdvisorySettings } from './config';
import { alertOnKnownExploited } from './knownExploitedAlerts';
import { registerAdvisoryRoutes } from './routes';

export type { KnownExploitedFinding } from './AdvisoryService';

/**
 * Security advisories: feeds read on a schedule, matched to the components
 * of catalog entities, with a lifecycle per affected entity.
 */
export async function setupAdvisories(
  options: CapabilityOptions,
  rules: { alerts: AlertService },
): Promise<{ advisories: AdvisoryService }> {
  const { database, scheduler, auditor, logger, config } = options;
  const settings = readAdvisorySettings(config);
  const feeds = await AdvisoryFeedStore.create({ database });
  const findings = await AdvisoryFindingStore.create({ database });
  // SBOMs are parsed and matched on worker threads; this one reads and writes.
  const matcher = new MatchPool({ logger, size: settings.matchWorkers });
  options.lifecycle.addShutdownHook(() => matcher.close());
  const service = new AdvisoryService({
    feeds,
    findings,
    reader: options.urlReader,
    catalog: options.catalog,
    auth: options.auth,
    logger,
    settings,
    matcher,
  });
  if (settings.alertLifecycles.length) {
    service.onKnownExploited(
      alertOnKnownExploited({
        alerts: rules.alerts,
        lifecycles: settings.alertLifecycles,
      }),
    );
  }

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

  await scheduler.scheduleTask({
    id: 'security-management-advisories-new-entities',
    frequency: { minutes: 1 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 45 },
    scope: 'global',
    fn: async () => {
      const matched = await service.matchNewEntities();
      if (matched)
        logger.info(`Matched advisories for ${matched} new entities`);
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
