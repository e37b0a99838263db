import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { EventParams } from '@backstage/plugin-events-node';
import {
  CorrelationFiringResult,
  MAX_SECURITY_EVENT_BATCH,
  MAX_SECURITY_EVENT_BYTES,
  SecurityEventPostResult,
  timestampInputSchema,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { entitiesByRef } from '../applicability/lookups';
import { isFuture } from '../lib/inputProblems';
import { chunk } from '../lib/rows';
import {
  CorrelationStore,
  RuleHitInput,
  RuleSkipInput,
  StoredEventInput,
} from './CorrelationStore';
import {
  describeFingerprint,
  eventKey,
  groupingOf,
  passesFilter,
  SecurityEvent,
} from './events';
import { CompiledRule, CorrelationSettings } from './settings';

/** An event to correlate, with when it occurred (epoch millis). */
export interface IncomingEvent {
  event: SecurityEvent;
  occurredAt: number;
}

function isPlainObject(value: unknown): value is SecurityEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns security events into incidents with the configured rules: filters
 * each event, groups it by fingerprint, has the store weigh the groups,
 * and audits every incident a rule opened or extended.
 */
export class CorrelationEngine {
  readonly #rules: ReadonlyMap<string, CompiledRule>;
  readonly #store: CorrelationStore;
  readonly #applicability: ApplicabilityStore;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;

  constructor(options: {
    settings: CorrelationSettings;
    store: CorrelationStore;
    applicability: ApplicabilityStore;
    auditor: AuditorService;
    logger: LoggerService;
  }) {
    this.#rules = new Map(options.settings.rules.map(rule => [rule.id, rule]));
    this.#store = options.store;
    this.#applicability = options.applicability;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
  }

  /**
   * Stores and correlates events of one topic. Every event is stored, also
   * when no rule matches it; one stored before counts as a duplicate and is
   * not correlated again.
   */
  async ingest(options: {
    topic: string;
    events: IncomingEvent[];
    /** The principal that posted them, or `events`. */
    receivedFrom: string;
    now: Date;
    /** What delivered them, for the audit events. */
    trigger: 'api' | 'events';
  }): Promise<SecurityEventPostResult> {
    const { topic, receivedFrom, now, trigger } = options;
    const unique = new Map<string, StoredEventInput>();
    for (const { event, occurredAt } of options.events) {
      const key = eventKey(topic, event);
      if (!unique.has(key)) {
        unique.set(key, { key, topic, event, occurredAt, receivedFrom });
      }
    }

    const hits: RuleHitInput[] = [];
    const skips: RuleSkipInput[] = [];
    for (const stored of unique.values()) {
      for (const rule of this.#rules.values()) {
        if (!passesFilter(rule, topic, stored.event)) continue;
        const grouping = groupingOf(rule, stored.event);
        if (grouping.kind === 'skip') {
          skips.push({
            ruleId: rule.id,
            eventKey: stored.key,
            reason: grouping.reason,
          });
          continue;
        }
        hits.push({
          ruleId: rule.id,
          fingerprintKey: grouping.key,
          fingerprint: grouping.fingerprint,
          entityRef: grouping.entityRef,
          eventKey: stored.key,
          occurredAt: stored.occurredAt,
        });
      }
    }
    // An incident names entities of the catalog only.
    const entities = await entitiesByRef(this.#applicability, [
      ...new Set(hits.map(hit => hit.entityRef)),
    ]);
    const known = hits.filter(hit => {
      if (entities.get(hit.entityRef)) return true;
      skips.push({
        ruleId: hit.ruleId,
        eventKey: hit.eventKey,
        reason: 'unknown-entity',
      });
      return false;
    });

    const result = await this.#store.record({
      events: [...unique.values()],
      hits: known,
      skips,
      rules: this.#rules,
      now,
    });
    await this.#auditFirings(result.firings, trigger);
    return {
      accepted: result.storedKeys.size,
      duplicates: options.events.length - result.storedKeys.size,
      firings: result.firings,
    };
  }

  /**
   * Handles one delivery of the events system: a JSON object, or a list of
   * them. What is not an object, or larger than 64 KB, is logged and
   * dropped; a missing or unreadable `occurredAt` is the time of receipt.
   */
  async onEvent(params: EventParams): Promise<void> {
    const now = new Date();
    const payloads = Array.isArray(params.eventPayload)
      ? params.eventPayload
      : [params.eventPayload];
    const events: IncomingEvent[] = [];
    payloads.forEach((payload, index) => {
      const where = `event ${index} on topic '${params.topic}'`;
      if (!isPlainObject(payload)) {
        this.#logger.warn(
          `Dropped ${where}: a security event is a JSON object`,
        );
        return;
      }
      const bytes = Buffer.byteLength(JSON.stringify(payload));
      if (bytes > MAX_SECURITY_EVENT_BYTES) {
        this.#logger.warn(
          `Dropped ${where}: ${bytes} bytes, more than ${MAX_SECURITY_EVENT_BYTES}`,
        );
        return;
      }
      events.push({ event: payload, occurredAt: occurredAtOf(payload, now) });
    });
    for (const part of chunk(events, MAX_SECURITY_EVENT_BATCH)) {
      await this.ingest({
        topic: params.topic,
        events: part,
        receivedFrom: 'events',
        now,
        trigger: 'events',
      });
    }
  }

  async #auditFirings(
    firings: CorrelationFiringResult[],
    trigger: 'api' | 'events',
  ): Promise<void> {
    for (const firing of firings) {
      const rule = this.#rules.get(firing.ruleId);
      if (firing.opened) {
        this.#logger.info(
          `Correlation rule '${firing.ruleId}' opened incident ${
            firing.incidentId
          } after ${firing.eventCount} events for ${describeFingerprint(
            firing.fingerprint,
          )}`,
        );
      }
      try {
        const event = await this.#auditor.createEvent({
          eventId: firing.opened ? 'correlation-fire' : 'correlation-attach',
          severityLevel: firing.opened ? 'high' : 'medium',
          meta: {
            trigger,
            ruleId: firing.ruleId,
            ruleTitle: rule?.title ?? null,
            fingerprint: firing.fingerprint,
            incidentId: firing.incidentId,
            eventCount: firing.eventCount,
          },
        });
        await event.success();
      } catch (error) {
        // The incident is committed; a failing auditor must not undo it.
        this.#logger.error(
          `Could not audit correlation of incident ${firing.incidentId}`,
          toError(error),
        );
      }
    }
  }
}

/** When an event from the events system occurred: its own time if usable. */
function occurredAtOf(event: SecurityEvent, now: Date): number {
  const parsed = timestampInputSchema.safeParse(event.occurredAt);
  if (!parsed.success || isFuture(parsed.data, now)) return now.getTime();
  return toMillis(parsed.data);
}
