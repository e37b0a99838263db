import { CapabilityOptions } from '../lib/capability';
import { readSecurityManagementSettings } from '../lib/config';
import { DatabaseReportStore } from '../reports/DatabaseReportStore';
import { readHistorySettings } from './config';
import { DatabaseHistoryStore } from './DatabaseHistoryStore';
import { Clock, PostureHistory } from './PostureHistory';
import { registerHistoryRoutes } from './routes';

/**
 * Posture history and trends: a global task takes today's snapshot (and
 * backfills and prunes), the routes read the trends. `clock` is for tests.
 */
export async function setupHistory(
  options: CapabilityOptions,
  extra: { clock?: Clock } = {},
): Promise<{ history: PostureHistory }> {
  const { database, stores, config, scheduler, logger, router, context } =
    options;
  const settings = readHistorySettings(config);
  const store = await DatabaseHistoryStore.create({ database });
  const history = new PostureHistory({
    store,
    posture: stores.posture,
    facts: await DatabaseReportStore.create({ database }),
    reviewDueSoon: readSecurityManagementSettings(config).reviewDueSoon,
    retentionDays: settings.retentionDays,
    backfillDays: settings.backfillDays,
    clock: extra.clock,
    logger,
  });
  await scheduler.scheduleTask({
    id: 'security-management-posture-history',
    frequency: settings.frequency,
    timeout: { minutes: 30 },
    // After the first catalog sync (10 s) has given the entities a posture.
    initialDelay: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      await history.run();
    },
  });
  registerHistoryRoutes(router, {
    context,
    store,
    clock: extra.clock ?? (() => new Date()),
  });
  return { history };
}
