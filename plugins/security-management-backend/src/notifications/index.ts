export { setupNotifications } from './setupNotifications';
export type {
  NotifyOwnersOptions,
  NotifyOwnersResult,
  OwnerNotificationSeverity,
  OwnerNotifier,
} from './OwnerNotifier';
export {
  SECURITY_NOTIFICATION_ORIGIN,
  SECURITY_NOTIFICATION_TOPICS,
} from './topics';
export type { SecurityNotificationTopic } from './topics';
