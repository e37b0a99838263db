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
  IncidentChange,
  incidentChangesSince,
} from './recentChanges';
import { SECURITY_NOTIFICATION_TOPICS } from './topics';

type Payload = NotificationSendOptions['payload'];

/** A notification to deliver once: to whom, under which key, saying what. */
interface Outgoing {
  delivery: Delivery;
  payload: Payload;
  /** Who caused it, if a user: not told about their own action. */
  excludeEntityRef?: string;
}

type Outcome = 'sent' | 'already' | 'failed';

/** What an incident change did, as a notification's title says it. */
const INCIDENT_CHANGES: Record<
  IncidentChange['action'],
  (change: IncidentChange) => string
> = {
  created: () => 'reported',
  transitioned: change =>
    `moved from ${change.fromStatus} to ${change.toStatus}`,
  updated: () => 'now affects your entities',
};

/** Deliveries claimed and recorded per statement. */
const DELIVERY_BATCH = 50;

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
    const outbox: Outgoing[] = [...byOwner].map(([ownerRef, entityRefs]) => ({
      delivery: { recipient: ownerRef, topic, key: options.dedupeKey },
      payload: {
        title: options.title,
        description:
          typeof options.description === 'function'
            ? options.description({ ownerRef, entityRefs })
            : options.description,
        link: options.link,
        severity: options.severity ?? 'normal',
        topic,
      },
    }));
    const outcomes = await this.#deliverAll(outbox, new Date());
    outbox.forEach(({ delivery }, index) => {
      const list = {
        sent: result.notified,
        already: result.alreadyNotified,
        failed: result.failed,
      }[outcomes[index]];
      list.push(delivery.recipient);
    });
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
    const outbox: Outgoing[] = digests
      .filter(digest => !isDigestEmpty(digest))
      .map(digest => ({
        delivery: { recipient: digest.owner, topic, key: `digest:${day}` },
        payload: {
          ...digestMessage(digest),
          topic,
          link: LINKS.digest,
          // Today's digest replaces yesterday's in the owner's inbox.
          scope: `security-daily-digest:${digest.owner}`,
        },
      }));
    counts.owners = outbox.length;
    for (const outcome of await this.#deliverAll(outbox, now)) {
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
    const outbox: Outgoing[] = [];
    const incidentsTopic = SECURITY_NOTIFICATION_TOPICS.incidents;
    for (const change of await incidentChangesSince(this.#db, since)) {
      const what = INCIDENT_CHANGES[change.action](change);
      for (const [owner, entityRefs] of change.entitiesByOwner) {
        outbox.push({
          delivery: {
            recipient: owner,
            topic: incidentsTopic,
            key: `incident-timeline:${change.timelineId}`,
          },
          // Title and details stay behind the incident's read permission.
          payload: {
            title: `Security incident on ${names(entityRefs)} ${what}`,
            description: `A ${change.severity} incident (${
              change.incidentId
            }) affecting ${entityRefs.join(', ')}.`,
            link: LINKS.incidents,
            severity: notificationSeverity(change.severity),
            topic: incidentsTopic,
          },
          excludeEntityRef: change.actor,
        });
      }
    }
    const alertsTopic = SECURITY_NOTIFICATION_TOPICS.alerts;
    for (const alert of await alertsRaisedSince(this.#db, { since, now })) {
      for (const [owner, entityRefs] of alert.entitiesByOwner) {
        outbox.push({
          delivery: {
            recipient: owner,
            topic: alertsTopic,
            key: `alert:${alert.id}`,
          },
          payload: {
            title: `Security alert on ${names(entityRefs)}: ${alert.title}`,
            description: `A ${alert.severity} alert affecting ${entityRefs.join(
              ', ',
            )}. Take the precautions it lists.`,
            link: LINKS.alerts,
            severity: notificationSeverity(alert.severity),
            topic: alertsTopic,
          },
        });
      }
    }
    for (const outcome of await this.#deliverAll(outbox, now)) {
      count(counts, outcome);
    }
    return counts;
  }

  /**
   * Claims, sends and records deliveries, a batch at a time: a batch is
   * claimed in one statement before any of it is sent, its sent deliveries
   * recorded in one statement after. Returns each one's outcome, in order.
   */
  async #deliverAll(outbox: Outgoing[], now: Date): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < outbox.length; i += DELIVERY_BATCH) {
      const batch = outbox.slice(i, i + DELIVERY_BATCH);
      const claimed = new Set(
        (
          await this.#ledger.claim({
            deliveries: batch.map(item => item.delivery),
            now,
          })
        ).map(deliveryId),
      );
      const sent = [];
      for (const { delivery, payload, excludeEntityRef } of batch) {
        if (!claimed.has(deliveryId(delivery))) {
          outcomes.push('already');
          continue;
        }
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
          sent.push(delivery);
          outcomes.push('sent');
        } catch (error) {
          this.#logger.warn(
            `Could not send the ${delivery.topic} notification ${delivery.key} to ${delivery.recipient}; a later run retries it`,
            error as Error,
          );
          await this.#ledger.release({ delivery });
          outcomes.push('failed');
        }
      }
      await this.#ledger.markSent({ deliveries: sent, now });
    }
    return outcomes;
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

/** "auth-service, ledger": the names of entities, for a title. */
function names(entityRefs: string[]): string {
  const list = entityRefs.map(ref => ref.slice(ref.indexOf('/') + 1));
  return list.length > 3
    ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`
    : list.join(', ');
}

function deliveryId(delivery: Delivery): string {
  return JSON.stringify([delivery.recipient, delivery.topic, delivery.key]);
}

function count(counts: DeliveryCounts, outcome: Outcome): void {
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
