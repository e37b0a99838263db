import { SecurityNotificationTopic } from './topics';

/** How urgent a notification is, as Backstage's notifications rank them. */
export type OwnerNotificationSeverity = 'critical' | 'high' | 'normal' | 'low';

/** What {@link OwnerNotifier.notifyOwners} sends, and to whom. */
export interface NotifyOwnersOptions {
  /** The entities concerned; their current owners are notified. */
  entityRefs: string[];
  /** The topic the owners can mute it under. */
  topic: SecurityNotificationTopic;
  title: string;
  /**
   * Text under the title; a function writes it for each owner, from the
   * entities of the list that owner owns.
   */
  description?:
    | string
    | ((recipient: { ownerRef: string; entityRefs: string[] }) => string);
  /** A path in the app (`/security-management/...`) or a URL. */
  link?: string;
  /** Defaults to `normal`. */
  severity?: OwnerNotificationSeverity;
  /**
   * What makes two calls the same notification, e.g.
   * `campaign:<id>:started`: each owner receives one notification per topic
   * and key, ever, however many replicas or retries call with it.
   */
  dedupeKey: string;
}

/** What {@link OwnerNotifier.notifyOwners} did, by owner entity ref. */
export interface NotifyOwnersResult {
  /** Owners sent the notification by this call. */
  notified: string[];
  /** Owners sent it before, by this or another replica. */
  alreadyNotified: string[];
  /** Owners it could not be sent to; a later call with the key retries them. */
  failed: string[];
  /** Entity refs with no known owner (not in the catalog, or no owner). */
  withoutOwner: string[];
}

/**
 * Notifies the owners of entities through Backstage's notifications, once
 * per owner, topic and key across replicas. When notifications are off
 * (`securityManagement.notifications.enabled`), nothing is sent and every
 * owner is reported as neither notified nor failed.
 */
export interface OwnerNotifier {
  notifyOwners(options: NotifyOwnersOptions): Promise<NotifyOwnersResult>;
}
