import { TestDatabaseId } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import {
  CorrelationRule,
  incidentTimelineEntrySchema,
} from '@open-itsm/plugin-security-management-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import { CART, createStores, DAY, NOW, SHOP } from '../__testUtils__/stores';
import { authFailure, authFailures, settingsWith } from './__fixtures__/rules';
import { CorrelationEngine, IncomingEvent } from './CorrelationEngine';
import { DatabaseCorrelationStore } from './DatabaseCorrelationStore';
import { SecurityEvent } from './events';

jest.setTimeout(60_000);

const MIN = 60_000;
const ALL = { allowed: true } as const;

/** An event that occurred `minutes` after NOW - 1 hour. */
function at(minutes: number, event: SecurityEvent): IncomingEvent {
  return { event, occurredAt: NOW.getTime() - 60 * MIN + minutes * MIN };
}

/** Failed logins on the shop from one address, with ids from `first`. */
function failures(minutes: number[], first = 0, ip = '10.0.0.7') {
  return minutes.map((minute, index) =>
    at(minute, authFailure('shop', ip, { id: `evt-${first + index}` })),
  );
}

describe('DatabaseCorrelationStore', () => {
  const databases = createTestDatabases();

  async function setup(
    databaseId: TestDatabaseId,
    rules: CorrelationRule[] = [authFailures],
  ) {
    const { knex, stores } = await createStores(databases, databaseId);
    const store = await DatabaseCorrelationStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
      incidents: stores.incidents,
    });
    const auditor = mockServices.auditor.mock();
    const engine = new CorrelationEngine({
      settings: settingsWith(...rules),
      store,
      applicability: stores.applicability,
      auditor,
      logger: mockServices.logger.mock(),
    });
    const ingest = (events: IncomingEvent[], now = NOW) =>
      engine.ingest({
        topic: 'security',
        events,
        receivedFrom: 'ci-pipeline',
        now,
        trigger: 'api',
      });
    const count = async (table: string) =>
      Number((await knex(table).count({ count: '*' }).first())?.count);
    return { knex, stores, store, engine, auditor, ingest, count };
  }

  it.each(databases.eachSupportedId())(
    'stores every event once, also those no rule matches, and counts a retry as duplicates, %p',
    async databaseId => {
      const { ingest, count, store } = await setup(databaseId);
      const events = [
        ...failures([0, 1]),
        at(2, { type: 'login.success', entityRef: 'shop' }),
        // The same event without an id, twice in one batch.
        at(3, authFailure('shop', '10.0.0.9')),
        at(3, authFailure('shop', '10.0.0.9')),
      ];
      expect(await ingest(events)).toEqual({
        accepted: 4,
        duplicates: 1,
        firings: [],
      });
      expect(await ingest(events)).toEqual({
        accepted: 0,
        duplicates: 5,
        firings: [],
      });
      expect(await count('security_events')).toBe(4);
      expect(await count('security_event_hits')).toBe(3);
      const counters = await store.ruleCounters({ incidents: ALL });
      expect(counters.get('repeated-auth-failures')).toEqual({
        matchedEvents: 3,
        missingFields: 0,
        unknownEntity: 0,
        firings: 0,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'opens one incident on the entity when the threshold is reached within the window, with the events on its timeline, %p',
    async databaseId => {
      const { ingest, stores, auditor } = await setup(databaseId);
      expect((await ingest(failures([0, 2, 4, 6]))).firings).toEqual([]);
      const result = await ingest(failures([8], 4));
      expect(result.firings).toEqual([
        {
          ruleId: 'repeated-auth-failures',
          fingerprint: { entityRef: SHOP, 'source.ip': '10.0.0.7' },
          incidentId: expect.any(String),
          opened: true,
          eventCount: 5,
        },
      ]);
      const { incidentId } = result.firings[0];
      const incident = await stores.incidents.getIncident({ id: incidentId });
      expect(incident).toMatchObject({
        title: '5 failed logins on shop from 10.0.0.7',
        severity: 'high',
        status: 'reported',
        affectedEntities: [SHOP],
        createdBy: 'rule:repeated-auth-failures',
      });
      const timeline = await stores.incidents.getIncidentTimeline(incidentId);
      expect(timeline.map(entry => entry.action)).toEqual([
        'created',
        'correlated',
      ]);
      const correlated = incidentTimelineEntrySchema.parse(timeline[1]);
      expect(correlated).toMatchObject({
        actor: 'rule:repeated-auth-failures',
        note: "5 events of 'Repeated authentication failures' for entityRef=component:default/shop, source.ip=10.0.0.7: 5 or more within PT10M",
        changes: {
          rule: {
            id: 'repeated-auth-failures',
            title: 'Repeated authentication failures',
          },
          fingerprint: { entityRef: SHOP, 'source.ip': '10.0.0.7' },
          eventCount: 5,
        },
      });
      const quoted = (correlated.changes as { events: { id: string }[] })
        .events;
      expect(quoted.map(event => event.id)).toEqual([
        'evt-0',
        'evt-1',
        'evt-2',
        'evt-3',
        'evt-4',
      ]);
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'correlation-fire',
        severityLevel: 'high',
        meta: {
          trigger: 'api',
          ruleId: 'repeated-auth-failures',
          ruleTitle: 'Repeated authentication failures',
          fingerprint: { entityRef: SHOP, 'source.ip': '10.0.0.7' },
          incidentId,
          eventCount: 5,
        },
      });
      const audit = await auditor.createEvent.mock.results[0].value;
      expect(audit.success).toHaveBeenCalled();
    },
  );

  it.each(databases.eachSupportedId())(
    'does not fire on events further apart than the window, nor across fingerprints, %p',
    async databaseId => {
      const { ingest } = await setup(databaseId);
      // Five events over twelve minutes: at most four in any ten.
      const spread = await ingest(failures([0, 3, 6, 9, 12]));
      expect(spread.firings).toEqual([]);
      const mixed = await ingest([
        ...failures([20, 21], 10, '10.0.0.1'),
        ...failures([22, 23], 20, '10.0.0.2'),
        at(24, authFailure('cart', '10.0.0.1', { id: 'evt-30' })),
      ]);
      expect(mixed.firings).toEqual([]);
      // A late event completes the earlier window of 3, 6, 9 and 12.
      const late = await ingest(failures([4], 40));
      expect(late.firings).toMatchObject([{ opened: true, eventCount: 5 }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'attaches every further event to the open incident, and opens a new one once it is closed, %p',
    async databaseId => {
      const { ingest, stores, knex, store } = await setup(databaseId);
      const first = await ingest(failures([0, 1, 2, 3, 4]));
      const { incidentId } = first.firings[0];
      // Far outside the window, but the incident is open.
      const more = await ingest(failures([50], 10));
      expect(more.firings).toEqual([
        expect.objectContaining({ incidentId, opened: false, eventCount: 1 }),
      ]);
      expect(
        (await stores.incidents.getIncidentTimeline(incidentId)).map(
          entry => entry.action,
        ),
      ).toEqual(['created', 'correlated', 'correlated']);

      await knex('incidents')
        .where('id', incidentId)
        .update({ status: 'closed' });
      expect((await ingest(failures([51, 52, 53, 54], 20))).firings).toEqual(
        [],
      );
      const again = await ingest(failures([55], 30));
      expect(again.firings).toEqual([
        expect.objectContaining({ opened: true, eventCount: 5 }),
      ]);
      expect(again.firings[0].incidentId).not.toBe(incidentId);

      const page = await store.listFirings({
        query: { limit: 10, offset: 0 },
        incidents: ALL,
      });
      expect(page.totalCount).toBe(2);
      expect(page.items.map(f => [f.incidentId, f.eventCount])).toEqual(
        expect.arrayContaining([
          [incidentId, 6],
          [again.firings[0].incidentId, 5],
        ]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'counts events that lack fields or name an entity outside the catalog, %p',
    async databaseId => {
      const { ingest, store, count } = await setup(databaseId);
      const result = await ingest([
        at(0, { id: 'a', type: 'auth.failure', entityRef: 'shop' }),
        at(0, authFailure('no-such-service', '10.0.0.7', { id: 'b' })),
        at(0, authFailure('not a ref!', '10.0.0.7', { id: 'c' })),
        at(0, authFailure('cart', '10.0.0.7', { id: 'd' })),
      ]);
      expect(result.accepted).toBe(4);
      expect(await count('security_events')).toBe(4);
      const counters = await store.ruleCounters({ incidents: ALL });
      expect(counters.get('repeated-auth-failures')).toEqual({
        matchedEvents: 1,
        missingFields: 1,
        unknownEntity: 2,
        firings: 0,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'counts each event once when the same batch is retried concurrently, %p',
    async databaseId => {
      const { ingest, count, store } = await setup(databaseId);
      const batch = failures([0, 1, 2, 3, 4, 5, 6]);
      const results = await Promise.all([
        ingest(batch),
        ingest(batch),
        ingest(batch),
      ]);
      expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(7);
      expect(results.flatMap(r => r.firings)).toHaveLength(1);
      expect(await count('security_event_hits')).toBe(7);
      const [firing] = (
        await store.listFirings({
          query: { limit: 10, offset: 0 },
          incidents: ALL,
        })
      ).items;
      expect(firing.eventCount).toBe(7);
    },
  );

  it.each(databases.eachSupportedId())(
    'hides firings of incidents the caller may not read, %p',
    async databaseId => {
      const { ingest, store } = await setup(databaseId);
      await ingest(failures([0, 1, 2, 3, 4]));
      const hidden: IncidentReadAccess = {
        allowed: true,
        filter: { rule: 'hasSeverity', severities: ['low'] },
      };
      expect(
        await store.listFirings({
          query: { limit: 10, offset: 0 },
          incidents: hidden,
        }),
      ).toEqual({ items: [], totalCount: 0 });
      const counters = await store.ruleCounters({ incidents: hidden });
      expect(counters.get('repeated-auth-failures')).toMatchObject({
        matchedEvents: 5,
        firings: 0,
      });
      expect(
        (await store.ruleCounters({ incidents: { allowed: false } })).get(
          'repeated-auth-failures',
        ),
      ).toEqual({ matchedEvents: 5, missingFields: 0, unknownEntity: 0 });
      const shown = await store.listFirings({
        query: { limit: 10, offset: 0, ruleId: 'repeated-auth-failures' },
        incidents: {
          allowed: true,
          filter: { rule: 'hasSeverity', severities: ['high'] },
        },
      });
      expect(shown.items).toEqual([
        {
          id: expect.any(String),
          ruleId: 'repeated-auth-failures',
          fingerprint: { entityRef: SHOP, 'source.ip': '10.0.0.7' },
          entityRef: SHOP,
          incidentId: expect.any(String),
          eventCount: 5,
          firedAt: NOW.toISOString(),
          lastEventAt: NOW.toISOString(),
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes expired events no incident holds, with their hits, %p',
    async databaseId => {
      const { ingest, store, count } = await setup(databaseId);
      const old = new Date(NOW.getTime() - 40 * DAY);
      // Received 40 days ago: two that fired, one unattached, one unmatched.
      await ingest(failures([0, 1, 2, 3, 4]), old);
      await ingest(
        [
          at(0, authFailure('cart', '10.0.0.7', { id: 'old-cart' })),
          at(0, { id: 'old-other', type: 'port.scan' }),
        ],
        old,
      );
      await ingest([at(0, { id: 'recent', type: 'port.scan' })]);
      expect(await count('security_events')).toBe(8);

      const deleted = await store.deleteExpiredEvents({
        before: new Date(NOW.getTime() - 30 * DAY),
      });
      expect(deleted).toBe(2);
      expect(await count('security_events')).toBe(6);
      expect(await count('security_event_hits')).toBe(5);
      // The cart's state held nothing any more.
      expect(await count('correlation_state')).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'opens exactly one incident when deliveries of one fingerprint arrive at once, as from several replicas, %p',
    async databaseId => {
      const { ingest, count, store } = await setup(databaseId);
      // Twelve single-event deliveries at once, as from several replicas.
      const results = await Promise.all(
        failures([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).map(event =>
          ingest([event]),
        ),
      );
      const firings = results.flatMap(r => r.firings);
      expect(firings.filter(f => f.opened)).toHaveLength(1);
      expect(new Set(firings.map(f => f.incidentId)).size).toBe(1);
      expect(await count('incidents')).toBe(1);
      expect(await count('correlation_state')).toBe(1);
      const [firing] = (
        await store.listFirings({
          query: { limit: 10, offset: 0 },
          incidents: ALL,
        })
      ).items;
      // Every event after the fifth joined the incident.
      expect(firing.eventCount).toBe(
        firings.reduce((sum, f) => sum + f.eventCount, 0),
      );
      expect(firing.eventCount).toBeGreaterThanOrEqual(5);
    },
  );

  it.each(databases.eachSupportedId())(
    'correlates deliveries of the events system, dropping what is not an event, %p',
    async databaseId => {
      const { engine, count, knex } = await setup(databaseId, [
        { ...authFailures, threshold: 1 },
      ]);
      await engine.onEvent({
        topic: 'security',
        eventPayload: [
          authFailure('cart', '10.0.0.7', {
            id: 'x',
            occurredAt: 'yesterday',
          }),
          'not an event',
          { type: 'huge', blob: 'x'.repeat(70_000) },
        ],
      });
      expect(await count('security_events')).toBe(1);
      const row = await knex('security_events').first();
      expect(row.received_from).toBe('events');
      expect(Number(row.occurred_at)).toBe(Number(row.received_at));
      const [incident] = await knex('incidents');
      expect(incident.title).toBe('1 failed logins on cart from 10.0.0.7');
      expect(
        await knex('incident_entities').where('incident_id', incident.id),
      ).toEqual([{ incident_id: incident.id, entity_ref: CART }]);
    },
  );
});
