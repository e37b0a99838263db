import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { addDuration } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { Delivery, DeliveryLedger } from './DeliveryLedger';
import { digestMessage, isDigestEmpty } from './digestMessage';
import { collectOwnerDigests } from './digestQueries';
import {
  NotifyOwnersOptions,
  NotifyOwnersResult,
  OwnerNotifier,
} from './OwnerNotifier';
import {
  alertsRaisedSince,
  entitiesByOwner,
  incidentChangesSince,
} from './recentChanges';
import { SECURITY_NOTIFICATION_TOPICS } from './topics';

type Payload = NotificationSendOptions['payload'];

/** How many sends of one run each delivery outcome had. */
export interface DeliveryCounts {
  sent: number;
  alreadySent: number;
  failed: number;
}

/** How far back incident changes and raised alerts are looked for. */
export const IMMEDIATE_LOOKBACK_MS = 60 * 60 * 1000;

/** How long delivery records of days and events are kept. */
const LEDGER_RETENTION_MS = 35 * 24 * 60 * 60 * 1000;

const LINKS = {
  digest: '/security-management/schedule',
  incidents: '/security-management/incidents',
  alerts: '/security-management/alerts',
};

/**
 * Sends the plugin's notifications to the owners of entities through
 * Backstage's notification service, each once across replicas and
 * retries: the delivery is claimed in the ledger before it is sent and
 * released if sending fails, so a later run retries it. A replica that dies
 * between claim and send loses that one notification rather than sending
 * it twice.
 */
export class SecurityNotifier implements OwnerNotifier {
  readonly #db: Knex;
  readonly #ledger: DeliveryLedger;
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;
  readonly #enabled: boolean;
  readonly #reviewDueSoon: string;
  readonly #exceptionsExpiringWithin: string;

  constructor(options: {
    db: Knex;
    ledger: DeliveryLedger;
    notifications: NotificationService;
    logger: LoggerService;
    enabled: boolean;
    reviewDueSoon: string;
    exceptionsExpiringWithin: string;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#enabled = options.enabled;
    this.#reviewDueSoon = options.reviewDueSoon;
    this.#exceptionsExpiringWithin = options.exceptionsExpiringWithin;
  }

  async notifyOwners(
    options: NotifyOwnersOptions,
  ): Promise<NotifyOwnersResult> {
    const result: NotifyOwnersResult = {
      notified: [],
      alreadyNotified: [],
      failed: [],
      withoutOwner: [],
    };
    if (!this.#enabled) return result;
    const byOwner = await entitiesByOwner(this.#db, options.entityRefs);
    const owned = new Set([...byOwner.values()].flat());
    result.withoutOwner = [...new Set(options.entityRefs)].filter(
      ref => !owned.has(ref),
    );
    const topic = SECURITY_NOTIFICATION_TOPICS[options.topic];
    const now = new Date();
    for (const [ownerRef, entityRefs] of byOwner) {
      const description =
        typeof options.description === 'function'
          ? options.description({ ownerRef, entityRefs })
          : options.description;
      const outcome = await this.#deliver({
        delivery: { recipient: ownerRef, topic, key: options.dedupeKey },
        payload: {
          title: options.title,
          description,
          link: options.link,
          severity: options.severity ?? 'normal',
          topic,
        },
        now,
      });
      const list = {
        sent: result.notified,
        already: result.alreadyNotified,
        failed: result.failed,
      }[outcome];
      list.push(ownerRef);
    }
    return result;
  }

  /**
   * Sends each owner with something to do the day's digest, once per UTC
   * day: a second run the same day (another replica, a retry, a restart)
   * sends only what the first could not.
   */
  async sendDailyDigest(options: {
    now: Date;
  }): Promise<DeliveryCounts & { owners: number }> {
    const { now } = options;
    const counts = { owners: 0, sent: 0, alreadySent: 0, failed: 0 };
    if (!this.#enabled) return counts;
    const digests = await collectOwnerDigests(this.#db, {
      now,
      dueSoonAt: new Date(addDuration(now, this.#reviewDueSoon)),
      exceptionsExpiringBefore: new Date(
        addDuration(now, this.#exceptionsExpiringWithin),
      ),
    });
    const topic = SECURITY_NOTIFICATION_TOPICS.digest;
    const day = now.toISOString().slice(0, 10);
    for (const digest of digests) {
      if (isDigestEmpty(digest)) continue;
      counts.owners += 1;
      const message = digestMessage(digest);
      const outcome = await this.#deliver({
        delivery: { recipient: digest.owner, topic, key: `digest:${day}` },
        payload: {
          ...message,
          topic,
          link: LINKS.digest,
          // Today's digest replaces yesterday's in the owner's inbox.
          scope: `security-daily-digest:${digest.owner}`,
        },
        now,
      });
      count(counts, outcome);
    }
    await this.#prune(now);
    return counts;
  }

  /**
   * Tells owners about incidents reported, moved or given their entities
   * and about alerts raised on their entities, in the last hour, each once.
   */
  async sendRecentChanges(options: { now: Date }): Promise<DeliveryCounts> {
    const { now } = options;
    const counts = { sent: 0, alreadySent: 0, failed: 0 };
    if (!this.#enabled) return counts;
    const since = new Date(now.getTime() - IMMEDIATE_LOOKBACK_MS);
    const incidentsTopic = SECURITY_NOTIFICATION_TOPICS.incidents;
    for (const change of await incidentChangesSince(this.#db, since)) {
      for (const [owner, entityRefs] of change.entitiesByOwner) {
        const what =
          change.action === 'transitioned'
            ? `moved from ${change.fromStatus} to ${change.toStatus}`
            : change.action === 'created'
            ? 'reported'
            : 'now affects your entities';
        const outcome = await this.#deliver({
          delivery: {
            recipient: owner,
            topic: incidentsTopic,
            key: `incident-timeline:${change.timelineId}`,
          },
          // Title and details stay behind the incident's read permission.
          payload: {
            title: `Security incident ${change.incidentId} ${what}`,
            description: `A ${
              change.severity
            } incident affecting ${entityRefs.join(', ')}.`,
            link: LINKS.incidents,
            severity: notificationSeverity(change.severity),
            topic: incidentsTopic,
          },
          excludeEntityRef: change.actor,
          now,
        });
        count(counts, outcome);
      }
    }
    const alertsTopic = SECURITY_NOTIFICATION_TOPICS.alerts;
    for (const alert of await alertsRaisedSince(this.#db, { since, now })) {
      for (const [owner, entityRefs] of alert.entitiesByOwner) {
        const outcome = await this.#deliver({
          delivery: {
            recipient: owner,
            topic: alertsTopic,
            key: `alert:${alert.id}`,
          },
          payload: {
            title: `Security alert: ${alert.title}`,
            description: `A ${alert.severity} alert affecting ${entityRefs.join(
              ', ',
            )}. Take the precautions it lists.`,
            link: LINKS.alerts,
            severity: notificationSeverity(alert.severity),
            topic: alertsTopic,
          },
          now,
        });
        count(counts, outcome);
      }
    }
    return counts;
  }

  async #deliver(options: {
    delivery: Delivery;
    payload: Payload;
    excludeEntityRef?: string;
    now: Date;
  }): Promise<'sent' | 'already' | 'failed'> {
    const { delivery, payload, excludeEntityRef, now } = options;
    if (!(await this.#ledger.claim({ delivery, now }))) return 'already';
    try {
      await this.#notifications.send({
        recipients: {
          type: 'entity',
          entityRef: delivery.recipient,
          ...(excludeEntityRef?.startsWith('user:')
            ? { excludeEntityRef }
            : {}),
        },
        payload,
      });
    } catch (error) {
      this.#logger.warn(
        `Could not send the ${delivery.topic} notification ${delivery.key} to ${delivery.recipient}; a later run retries it`,
        error as Error,
      );
      await this.#ledger.release({ delivery });
      return 'failed';
    }
    await this.#ledger.markSent({ delivery, now });
    return 'sent';
  }

  /** Digest days and events older than any run looks at are forgotten. */
  async #prune(now: Date): Promise<void> {
    const claimedBefore = new Date(now.getTime() - LEDGER_RETENTION_MS);
    for (const topic of [
      SECURITY_NOTIFICATION_TOPICS.digest,
      SECURITY_NOTIFICATION_TOPICS.incidents,
      SECURITY_NOTIFICATION_TOPICS.alerts,
    ]) {
      await this.#ledger.prune({ topic, claimedBefore });
    }
  }
}

function count(
  counts: DeliveryCounts,
  outcome: 'sent' | 'already' | 'failed',
): void {
  if (outcome === 'sent') counts.sent += 1;
  else if (outcome === 'already') counts.alreadySent += 1;
  else counts.failed += 1;
}

/** An incident's or alert's severity as Backstage's notifications rank it. */
function notificationSeverity(severity: string): Payload['severity'] {
  switch (severity) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'low':
      return 'low';
    default:
      return 'normal';
  }
}
