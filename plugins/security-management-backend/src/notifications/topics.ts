/**
 * The topics of the notifications the plugin sends, as Backstage's
 * notification settings list them under the origin
 * `plugin:security-management`: a user mutes one there and stops receiving
 * it. They are part of the plugin's interface: renaming one would unmute it
 * for everybody who muted it, so they never change.
 */
export const SECURITY_NOTIFICATION_TOPICS = {
  /** The daily digest of what is overdue or due soon on an owner's entities. */
  digest: 'Security daily digest',
  /** An incident affecting an owner's entity was reported, changed or moved. */
  incidents: 'Security incidents',
  /** A security alert affecting an owner's entity was raised. */
  alerts: 'Security alerts',
  /** A campaign with an owner's entities in scope started, nears or missed its deadline. */
  campaigns: 'Security campaigns',
} as const;

/** The key of a topic in {@link SECURITY_NOTIFICATION_TOPICS}. */
export type SecurityNotificationTopic =
  keyof typeof SECURITY_NOTIFICATION_TOPICS;

/**
 * The origin Backstage records for notifications of this plugin: the
 * subject of its service credentials.
 */
export const SECURITY_NOTIFICATION_ORIGIN = 'plugin:security-management';
