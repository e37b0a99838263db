import {
  AuditorService,
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { audited } from '../lib/audit';
import { readSecurityManagementSettings } from '../lib/config';
import { connectSecurityDatabase } from '../lib/database';
import { readNotificationSettings } from './config';
import { DatabaseDeliveryLedger } from './DatabaseDeliveryLedger';
import { OwnerNotifier } from './OwnerNotifier';
import { SecurityNotifier } from './SecurityNotifier';

/**
 * Notifications to the owners of entities through Backstage's
 * notifications: the daily digest and the immediate incident and alert
 * notifications, each a global scheduled task, when
 * `securityManagement.notifications.enabled`. Returns the notifier other
 * capabilities (campaigns) notify owners through; it sends nothing while
 * notifications are off.
 *
 * Set up before the other capabilities, since they receive the notifier
 * in their `CapabilityOptions`.
 */
export async function setupNotifications(options: {
  database: DatabaseService;
  scheduler: SchedulerService;
  auditor: AuditorService;
  logger: LoggerService;
  config: RootConfigService;
  notifications: NotificationService;
}): Promise<{ notifier: OwnerNotifier }> {
  const { scheduler, auditor, logger, config } = options;
  const settings = readNotificationSettings(config);
  const notifier = new SecurityNotifier({
    db: await connectSecurityDatabase(options.database),
    ledger: await DatabaseDeliveryLedger.create(options),
    notifications: options.notifications,
    logger,
    enabled: settings.enabled,
    reviewDueSoon: readSecurityManagementSettings(config).reviewDueSoon,
    exceptionsExpiringWithin: settings.exceptionsExpiringWithin,
  });
  if (!settings.enabled) return { notifier };

  await scheduler.scheduleTask({
    id: 'security-management-notifications-digest',
    frequency: { cron: `0 ${settings.digestHour} * * *` },
    timeout: { minutes: 30 },
    ...(settings.digestInitialDelay
      ? { initialDelay: settings.digestInitialDelay }
      : {}),
    scope: 'global',
    fn: async () => {
      await audited({
        auditor,
        event: {
          eventId: 'notifications-digest',
          severityLevel: 'low',
          meta: { trigger: 'schedule' },
        },
        run: () => notifier.sendDailyDigest({ now: new Date() }),
        describe: counts => ({ ...counts }),
      });
    },
  });
  await scheduler.scheduleTask({
    id: 'security-management-notifications-immediate',
    frequency: settings.immediateFrequency,
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    scope: 'global',
    fn: async () => {
      const counts = await notifier.sendRecentChanges({ now: new Date() });
      if (counts.sent + counts.failed > 0) {
        logger.info(
          `Incident and alert notifications: ${counts.sent} sent, ${counts.failed} failed`,
        );
      }
    },
  });
  return { notifier };
}
