import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CorrelatedEventsChanges,
  CorrelatedEventSummary,
  CorrelationFiringResult,
  Page,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import { applyIncidentFilter } from '../incidents/incidentFilter';
import { IncidentStore } from '../incidents/IncidentStore';
import { connectSecurityDatabase } from '../lib/database';
import {
  byKey,
  chunk,
  chunkRows,
  countOf,
  DbMillis,
  IN_LIST_SIZE,
  toIso,
} from '../lib/rows';
import {
  CorrelationStore,
  RecordResult,
  RuleCounters,
  RuleHitInput,
  RuleSkipInput,
  StoredEventInput,
  StoredFiring,
} from './CorrelationStore';
import {
  describeFingerprint,
  incidentInputFor,
  SecurityEvent,
  summariseEvent,
} from './events';
import { FiringRow, groupHits, groupId, HitGroup, rowToFiring } from './rows';
import { CompiledRule } from './settings';
import { firingWindow } from './threshold';

/** At most this many events are quoted in one timeline entry. */
const MAX_QUOTED_EVENTS = 20;
/** Events per insert: each may be 64 KB. */
const EVENTS_PER_INSERT = 100;
/** Events checked for retention per transaction. */
const RETENTION_BATCH = 500;

/** A `correlated` timeline entry, written with the others of a delivery. */
type TimelineEntry = Parameters<
  IncidentStore['appendCorrelatedEvents']
>[0]['entries'][number];

/**
 * The knex implementation of {@link CorrelationStore}. Events and hits have
 * unique keys written with "on conflict ignore", so a retried or
 * concurrently delivered event is stored and counted once. The state row of
 * a rule and fingerprint is locked (`SELECT … FOR UPDATE` on PostgreSQL;
 * SQLite serialises writers anyway) while its hits are weighed, so two
 * replicas never open two incidents for one fingerprint.
 */
export class DatabaseCorrelationStore implements CorrelationStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
    incidents: IncidentStore;
  }): Promise<DatabaseCorrelationStore> {
    return new DatabaseCorrelationStore(
      await connectSecurityDatabase(options.database),
      options.incidents,
    );
  }

  readonly #locksRows: boolean;

  private constructor(
    private readonly db: Knex,
    private readonly incidents: IncidentStore,
  ) {
    // knex ignores forUpdate on SQLite with a warning on every query.
    this.#locksRows = !String(db.client.config.client).includes('sqlite');
  }

  async record(options: {
    events: StoredEventInput[];
    hits: RuleHitInput[];
    skips: RuleSkipInput[];
    rules: ReadonlyMap<string, CompiledRule>;
    now: Date;
  }): Promise<RecordResult> {
    const { events, hits, skips, rules, now } = options;
    if (events.length === 0) return { storedKeys: new Set(), firings: [] };
    return this.db.transaction(async tx => {
      const storedKeys = await this.insertEvents(tx, events, now);
      const skipRows = skips
        .filter(skip => storedKeys.has(skip.eventKey))
        .map(skip => ({
          rule_id: skip.ruleId,
          event_key: skip.eventKey,
          reason: skip.reason,
        }));
      for (const rows of chunkRows(skipRows)) {
        await tx('security_event_skips')
          .insert(rows)
          .onConflict(['rule_id', 'event_key'])
          .ignore();
      }
      const groups = groupHits(
        hits.filter(
          hit => storedKeys.has(hit.eventKey) && rules.has(hit.ruleId),
        ),
      );
      if (groups.length === 0) return { storedKeys, firings: [] };

      // While an incident of a fingerprint is open, every event joins it:
      // those hits are stored attached; the others are weighed.
      const openIncidents = await this.lockStates(tx, groups, now);
      const hitRows = groups.flatMap(group =>
        group.hits.map(hit => ({
          rule_id: group.ruleId,
          fingerprint: group.fingerprintKey,
          event_key: hit.eventKey,
          occurred_at: hit.occurredAt,
          incident_id: openIncidents.get(groupId(group)) ?? null,
        })),
      );
      for (const rows of chunkRows(hitRows)) {
        await tx('security_event_hits')
          .insert(rows)
          .onConflict(['rule_id', 'fingerprint', 'event_key'])
          .ignore();
      }

      const byEventKey = new Map(events.map(event => [event.key, event]));
      const firings: CorrelationFiringResult[] = [];
      const entries: TimelineEntry[] = [];
      const attachedCounts = new Map<string, number>();
      for (const group of groups) {
        const rule = rules.get(group.ruleId)!;
        const incidentId = openIncidents.get(groupId(group));
        if (!incidentId) {
          const opened = await this.weigh(tx, { rule, group, byEventKey, now });
          if (opened) {
            firings.push(opened.firing);
            entries.push(opened.entry);
          }
          continue;
        }
        const attach = [...group.hits].sort(
          (a, b) => a.occurredAt - b.occurredAt,
        );
        entries.push(
          await this.entry(tx, { rule, group, incidentId, attach, byEventKey }),
        );
        attachedCounts.set(
          incidentId,
          (attachedCounts.get(incidentId) ?? 0) + attach.length,
        );
        firings.push({
          ruleId: rule.id,
          fingerprint: group.fingerprint,
          incidentId,
          opened: false,
          eventCount: attach.length,
        });
      }
      // One statement each for every incident of the delivery.
      await this.incidents.appendCorrelatedEvents({ tx, entries, now });
      await this.countAttached(tx, attachedCounts, now);
      return { storedKeys, firings };
    });
  }

  /** Inserts the events in key order; answers the keys not stored before. */
  private async insertEvents(
    tx: Knex.Transaction,
    events: StoredEventInput[],
    now: Date,
  ): Promise<Set<string>> {
    const stored = new Set<string>();
    const sorted = [...events].sort(byKey(event => event.key));
    for (const part of chunk(sorted, EVENTS_PER_INSERT)) {
      const rows: Array<{ event_key: string }> = await tx('security_events')
        .insert(
          part.map(event => ({
            event_key: event.key,
            topic: event.topic,
            payload: JSON.stringify(event.event),
            occurred_at: event.occurredAt,
            received_at: now.getTime(),
            received_from: event.receivedFrom,
          })),
        )
        .onConflict('event_key')
        .ignore()
        .returning('event_key');
      for (const row of rows) stored.add(row.event_key);
    }
    return stored;
  }

  /**
   * Creates and locks the state rows of the groups, in one order for every
   * replica (so that two deliveries never deadlock), and answers the open
   * incident of each group that has one.
   */
  private async lockStates(
    tx: Knex.Transaction,
    groups: HitGroup[],
    now: Date,
  ): Promise<Map<string, string>> {
    const states = groups.map(group => ({
      rule_id: group.ruleId,
      fingerprint: group.fingerprintKey,
      incident_id: null,
      updated_at: now.getTime(),
    }));
    for (const rows of chunkRows(states)) {
      await tx('correlation_state')
        .insert(rows)
        .onConflict(['rule_id', 'fingerprint'])
        .ignore();
    }
    const current = new Map<string, string>();
    for (const part of chunk(groups, IN_LIST_SIZE / 2)) {
      const query = tx('correlation_state')
        .whereIn(
          ['rule_id', 'fingerprint'],
          part.map(group => [group.ruleId, group.fingerprintKey]),
        )
        .select('rule_id', 'fingerprint', 'incident_id');
      if (this.#locksRows) {
        // Rows are locked in the order they are returned: byte order, the
        // order of groupHits, whatever the database's collation.
        query
          .orderByRaw('rule_id collate "C", fingerprint collate "C"')
          .forUpdate();
      }
      for (const row of await query) {
        if (row.incident_id) {
          current.set(
            groupId({ ruleId: row.rule_id, fingerprintKey: row.fingerprint }),
            row.incident_id,
          );
        }
      }
    }
    const open = new Set<string>();
    for (const ids of chunk([...new Set(current.values())], IN_LIST_SIZE)) {
      const rows: Array<{ id: string }> = await tx('incidents')
        .whereIn('id', ids)
        .whereNot('status', 'closed')
        .select('id');
      for (const row of rows) open.add(row.id);
    }
    return new Map([...current].filter(([, id]) => open.has(id)));
  }

  /** Adds the events attached to open incidents to their firings' counts. */
  private async countAttached(
    tx: Knex.Transaction,
    counts: Map<string, number>,
    now: Date,
  ): Promise<void> {
    for (const part of chunk([...counts], 200)) {
      await tx('correlation_firings')
        .whereIn(
          'incident_id',
          part.map(([incidentId]) => incidentId),
        )
        .update({
          event_count: tx.raw(
            `event_count + case incident_id ${part
              .map(() => 'when ? then ?')
              .join(' ')} else 0 end`,
            part.flat(),
          ),
          last_event_at: now.getTime(),
        });
    }
  }

  /**
   * Opens an incident for a group when the unattached hits of a window
   * reach the rule's threshold, with those hits and the group's attached.
   */
  private async weigh(
    tx: Knex.Transaction,
    options: {
      rule: CompiledRule;
      group: HitGroup;
      byEventKey: Map<string, StoredEventInput>;
      now: Date;
    },
  ): Promise<
    { firing: CorrelationFiringResult; entry: TimelineEntry } | undefined
  > {
    const { rule, group, byEventKey, now } = options;
    const at = now.getTime();
    const state = { rule_id: rule.id, fingerprint: group.fingerprintKey };
    const newKeys = new Set(group.hits.map(hit => hit.eventKey));
    const times = group.hits.map(hit => hit.occurredAt);
    const candidates: Array<{ event_key: string; occurred_at: DbMillis }> =
      await tx('security_event_hits')
        .where(state)
        .whereNull('incident_id')
        .where('occurred_at', '>', Math.min(...times) - rule.windowMs)
        .where('occurred_at', '<', Math.max(...times) + rule.windowMs)
        .select('event_key', 'occurred_at');
    const window = firingWindow(
      candidates.map(row => ({
        eventKey: row.event_key,
        occurredAt: Number(row.occurred_at),
        isNew: newKeys.has(row.event_key),
      })),
      rule.threshold,
      rule.windowMs,
    );
    if (!window) return undefined;
    const attach: Array<{ eventKey: string; occurredAt: number }> = [
      ...window.filter(hit => !newKeys.has(hit.eventKey)),
      ...group.hits,
    ].sort((a, b) => a.occurredAt - b.occurredAt);

    const latest = group.hits.reduce((a, b) =>
      b.occurredAt >= a.occurredAt ? b : a,
    );
    const incidentId = await this.incidents.openCorrelatedIncident({
      tx,
      input: incidentInputFor({
        rule,
        fingerprint: group.fingerprint,
        entityRef: group.entityRef,
        eventCount: attach.length,
        latestEvent: byEventKey.get(latest.eventKey)!.event,
      }),
      actor: { ref: `rule:${rule.id}` },
      now,
    });
    for (const keys of chunk(
      attach.map(hit => hit.eventKey),
      IN_LIST_SIZE,
    )) {
      await tx('security_event_hits')
        .where(state)
        .whereIn('event_key', keys)
        .update({ incident_id: incidentId });
    }
    await tx('correlation_state')
      .where(state)
      .update({ incident_id: incidentId, updated_at: at });
    await tx<FiringRow>('correlation_firings').insert({
      id: randomUUID(),
      rule_id: rule.id,
      fingerprint: group.fingerprintKey,
      fingerprint_values: JSON.stringify(group.fingerprint),
      entity_ref: group.entityRef,
      incident_id: incidentId,
      event_count: attach.length,
      fired_at: at,
      last_event_at: at,
    });
    return {
      firing: {
        ruleId: rule.id,
        fingerprint: group.fingerprint,
        incidentId,
        opened: true,
        eventCount: attach.length,
      },
      entry: await this.entry(tx, {
        rule,
        group,
        incidentId,
        attach,
        byEventKey,
        threshold: true,
      }),
    };
  }

  /** The `correlated` timeline entry of the events attached to an incident. */
  private async entry(
    tx: Knex.Transaction,
    options: {
      rule: CompiledRule;
      group: HitGroup;
      incidentId: string;
      attach: Array<{ eventKey: string; occurredAt: number }>;
      byEventKey: Map<string, StoredEventInput>;
      threshold?: boolean;
    },
  ): Promise<TimelineEntry> {
    const { rule, group, incidentId, attach, byEventKey } = options;
    const eventCount = attach.length;
    const changes: CorrelatedEventsChanges = {
      rule: { id: rule.id, title: rule.title },
      fingerprint: group.fingerprint,
      eventCount,
      events: await this.quoteEvents(tx, rule, attach, byEventKey),
    };
    return {
      incidentId,
      actor: { ref: `rule:${rule.id}` },
      note: `${eventCount} event${eventCount === 1 ? '' : 's'} of '${
        rule.title
      }' for ${describeFingerprint(group.fingerprint)}${
        options.threshold
          ? `: ${rule.threshold} or more within ${rule.window}`
          : ''
      }`,
      changes,
    };
  }

  /** The first events attached, as the timeline entry quotes them. */
  private async quoteEvents(
    tx: Knex.Transaction,
    rule: CompiledRule,
    attach: Array<{ eventKey: string; occurredAt: number }>,
    byEventKey: Map<string, StoredEventInput>,
  ): Promise<CorrelatedEventSummary[]> {
    const quoted = attach.slice(0, MAX_QUOTED_EVENTS);
    const missing = quoted
      .map(hit => hit.eventKey)
      .filter(key => !byEventKey.has(key));
    const loaded = new Map<string, SecurityEvent>();
    if (missing.length) {
      const rows: Array<{ event_key: string; payload: string }> = await tx(
        'security_events',
      )
        .whereIn('event_key', missing)
        .select('event_key', 'payload');
      for (const row of rows)
        loaded.set(row.event_key, JSON.parse(row.payload));
    }
    return quoted.flatMap(hit => {
      const event =
        byEventKey.get(hit.eventKey)?.event ?? loaded.get(hit.eventKey);
      return event ? [summariseEvent(rule, event, hit.occurredAt)] : [];
    });
  }

  async ruleCounters(options: {
    incidents: IncidentReadAccess;
  }): Promise<Map<string, RuleCounters>> {
    const db = this.db;
    const counters = new Map<string, RuleCounters>();
    const of = (ruleId: string) => {
      let entry = counters.get(ruleId);
      if (!entry) {
        entry = { matchedEvents: 0, missingFields: 0, unknownEntity: 0 };
        counters.set(ruleId, entry);
      }
      return entry;
    };
    type CountRow = { rule_id: string; reason?: string; count: DbMillis };
    const [matched, skipped] = (await Promise.all([
      db('security_event_hits')
        .select('rule_id')
        .count({ count: '*' })
        .groupBy('rule_id'),
      db('security_event_skips')
        .select('rule_id', 'reason')
        .count({ count: '*' })
        .groupBy('rule_id', 'reason'),
    ])) as CountRow[][];
    for (const row of matched) of(row.rule_id).matchedEvents = countOf(row);
    for (const row of skipped) {
      const entry = of(row.rule_id);
      if (row.reason === 'missing-fields') entry.missingFields = countOf(row);
      if (row.reason === 'unknown-entity') entry.unknownEntity = countOf(row);
    }
    const access = options.incidents;
    if (access.allowed) {
      const fired = db('correlation_firings')
        .join('incidents', 'incidents.id', 'correlation_firings.incident_id')
        .select('correlation_firings.rule_id as rule_id')
        .count({ count: '*' })
        .max({ last: 'correlation_firings.fired_at' })
        .groupBy('correlation_firings.rule_id');
      if (access.filter) applyIncidentFilter(db, fired, access.filter);
      const rows = (await fired) as Array<CountRow & { last: DbMillis }>;
      for (const row of rows) {
        const entry = of(row.rule_id);
        entry.firings = countOf(row);
        entry.lastFiredAt = toIso(row.last);
      }
      for (const entry of counters.values()) entry.firings ??= 0;
    }
    return counters;
  }

  async listFirings(options: {
    query: { limit: number; offset: number; ruleId?: string };
    incidents: IncidentReadAccess;
  }): Promise<Page<StoredFiring>> {
    const { query, incidents } = options;
    if (!incidents.allowed) return { items: [], totalCount: 0 };
    const db = this.db;
    const base = db('correlation_firings').join(
      'incidents',
      'incidents.id',
      'correlation_firings.incident_id',
    );
    if (query.ruleId) base.where('correlation_firings.rule_id', query.ruleId);
    if (incidents.filter) applyIncidentFilter(db, base, incidents.filter);
    const [rows, total] = await Promise.all([
      base
        .clone()
        .select<FiringRow[]>('correlation_firings.*')
        .orderBy([
          { column: 'correlation_firings.fired_at', order: 'desc' },
          { column: 'correlation_firings.id', order: 'desc' },
        ])
        .limit(query.limit)
        .offset(query.offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return { items: rows.map(rowToFiring), totalCount: countOf(total) };
  }

  async deleteExpiredEvents(options: { before: Date }): Promise<number> {
    const db = this.db;
    const before = options.before.getTime();
    const attached = (query: Knex.QueryBuilder) =>
      query.whereExists(
        db('security_event_hits')
          .whereRaw('?? = ??', [
            'security_event_hits.event_key',
            'security_events.event_key',
          ])
          .whereNotNull('security_event_hits.incident_id')
          .select(db.raw('1')),
      );
    let deleted = 0;
    for (;;) {
      const keys: string[] = await db('security_events')
        .where('received_at', '<', before)
        .whereNot(attached)
        .limit(RETENTION_BATCH)
        .pluck('event_key');
      if (keys.length === 0) break;
      deleted += await db.transaction(async (tx): Promise<number> => {
        // An event attached meanwhile stays.
        const held = new Set<string>(
          await tx('security_event_hits')
            .whereIn('event_key', keys)
            .whereNotNull('incident_id')
            .pluck('event_key'),
        );
        const gone = keys.filter(key => !held.has(key));
        if (gone.length === 0) return 0;
        await tx('security_event_hits').whereIn('event_key', gone).delete();
        await tx('security_event_skips').whereIn('event_key', gone).delete();
        return tx('security_events').whereIn('event_key', gone).delete();
      });
      if (keys.length < RETENTION_BATCH) break;
    }
    // States that hold no incident and no hit any more.
    await db('correlation_state')
      .whereNull('incident_id')
      .whereNotExists(
        db('security_event_hits')
          .whereRaw('?? = ?? and ?? = ??', [
            'security_event_hits.rule_id',
            'correlation_state.rule_id',
            'security_event_hits.fingerprint',
            'correlation_state.fingerprint',
          ])
          .select(db.raw('1')),
      )
      .delete();
    return deleted;
  }
}
