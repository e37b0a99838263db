import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import {
  controlStatus,
  IncidentInput,
  IncidentStatus,
} from '@open-itsm/plugin-security-management-common';
import {
  ago,
  CART,
  createStores,
  DAY,
  DUE_SOON,
  MFA,
  NOW,
  PAY,
  posture,
  record,
  SHOP,
  TEAM_A,
  TEAM_B,
  test,
  TLS,
  ALL_INCIDENTS,
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';
import { SecurityStores } from '../database';
import { DatabaseRemediationStore } from './DatabaseRemediationStore';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const jane = { ref: 'user:default/jane' };
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

async function remediationStore(knex: Knex) {
  return DatabaseRemediationStore.create({
    database: mockServices.database.mock({ getClient: async () => knex }),
  });
}

async function open(stores: SecurityStores, input?: Partial<IncidentInput>) {
  return stores.incidents.createIncident({
    input: {
      title: 'Credential leak',
      severity: 'high',
      affectedEntities: [SHOP],
      failedControls: [TLS],
      ...input,
    },
    actor: jane,
    now: NOW,
  });
}

/** Moves an incident through every phase to `to`, at `when`. */
async function moveTo(
  stores: SecurityStores,
  id: string,
  path: IncidentStatus[],
  when: Date,
) {
  let incident = (await stores.incidents.getIncident({ id }))!;
  for (const to of path) {
    incident = await stores.incidents.transitionIncident({
      id,
      to,
      version: incident.version,
      note: to === 'reported' ? 'reopened' : undefined,
      actor: jane,
      now: when,
    });
  }
  return incident;
}

const TO_CLOSED: IncidentStatus[] = [
  'triaged',
  'contained',
  'eradicated',
  'recovered',
  'closed',
];

async function tlsOf(stores: SecurityStores, entityRef: string, now = NOW) {
  const entity = await stores.posture.getEntityPosture({
    entityRef,
    now,
    reviewDueSoon: DUE_SOON,
    incidentAccess: ALL_INCIDENTS,
  });
  return entity!.controls!.find(c => c.control.ref === TLS)!;
}

describe('post-incident reviews', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'requires a retest of each failed control on every entity until a pass after the close, %p',
    async databaseId => {
      const { stores } = await createStores(databases, databaseId);
      await record(stores, [
        test(TLS, SHOP, 'pass', ago(DAY)),
        test(TLS, CART, 'pass', ago(DAY)),
        test(MFA, SHOP, 'pass', ago(DAY)),
      ]);
      const incident = await open(stores);
      // Opening an incident alone changes nothing.
      expect((await tlsOf(stores, SHOP)).status).toBe('passing');

      const reviewed = await stores.incidents.setIncidentReview({
        id: incident.id,
        review: {
          rootCause: 'weak cipher',
          lessons: '',
          remediationActions: [],
        },
        version: incident.version,
        actor: jane,
        now: NOW,
      });
      // Every entity TLS applies to, not only the affected one.
      for (const ref of [SHOP, CART]) {
        const tls = await tlsOf(stores, ref);
        expect(tls).toMatchObject({ status: 'overdue', retestRequired: true });
        expect(tls.nextDueAt).toBeUndefined();
      }
      // The control's coverage says the same: overdue, due now.
      const coverage = await stores.applicability.getControlCoverage({
        controlRef: TLS,
        now: NOW,
      });
      expect(coverage!.entities.find(e => e.entityRef === SHOP)).toMatchObject({
        status: 'overdue',
        nextDueAt: undefined,
      });
      // Untested stays untested, with the retest flagged.
      expect(await tlsOf(stores, PAY)).toMatchObject({
        status: 'untested',
        retestRequired: true,
      });
      // Other controls are untouched.
      const shop = await posture(stores, SHOP);
      const mfa = shop!.controls!.find(c => c.control.ref === MFA)!;
      expect(mfa.status).toBe('passing');
      expect(mfa.retestRequired).toBeUndefined();
      // -common's definition says the same.
      expect(
        controlStatus({
          cadence: 'P90D',
          latest: { result: 'pass', testedAt: ago(DAY) },
          retest: {},
          now: NOW,
        }),
      ).toBe('overdue');
      // Roll-ups read the counts cache, which the review marked stale.
      const byOwner = await stores.posture.rollup({
        by: 'owner',
        now: NOW,
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(byOwner.items.find(i => i.key === TEAM_A)!.counts).toMatchObject({
        passing: 1,
        overdue: 2,
      });
      // The schedule lists it as due now.
      const schedule = await stores.testing.schedule({
        query: { from: NOW.toISOString(), to: at(1).toISOString() },
        now: NOW,
      });
      expect(
        schedule.tests.filter(t => t.controlRef === TLS && t.entityRef !== PAY),
      ).toEqual([
        expect.objectContaining({
          entityRef: CART,
          state: 'overdue',
          retestRequired: true,
          dueAt: undefined,
        }),
        expect.objectContaining({
          entityRef: SHOP,
          state: 'overdue',
          retestRequired: true,
          dueAt: undefined,
        }),
      ]);

      // A pass while the incident is open does not clear it.
      await record(stores, [test(TLS, SHOP, 'pass', at(1).toISOString())]);
      expect((await tlsOf(stores, SHOP, at(2))).retestRequired).toBe(true);

      // Closed at day 3: a pass tested after it clears that entity only.
      await moveTo(stores, reviewed.id, TO_CLOSED, at(3));
      expect((await tlsOf(stores, SHOP, at(4))).status).toBe('overdue');
      await record(stores, [test(TLS, SHOP, 'pass', at(4).toISOString())]);
      const cleared = await tlsOf(stores, SHOP, at(5));
      expect(cleared.status).toBe('passing');
      expect(cleared.retestRequired).toBeUndefined();
      expect(cleared.nextDueAt).toBeDefined();
      expect((await tlsOf(stores, CART, at(5))).retestRequired).toBe(true);
      const after = await stores.posture.rollup({
        by: 'owner',
        now: at(5),
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(after.items.find(i => i.key === TEAM_A)!.counts).toMatchObject({
        passing: 2,
        overdue: 1,
      });

      // Reopened: required again; closed again at day 6, the day-4 pass no
      // longer counts.
      await moveTo(stores, reviewed.id, ['reported'], at(5));
      expect((await tlsOf(stores, SHOP, at(5))).retestRequired).toBe(true);
      await moveTo(stores, reviewed.id, TO_CLOSED, at(6));
      expect((await tlsOf(stores, SHOP, at(7))).retestRequired).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'requires a retest when an incident closes without a review, and lists it with its readable incidents, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      const remediation = await remediationStore(knex);
      await record(stores, [test(TLS, PAY, 'pass', ago(DAY))]);
      const first = await open(stores, { affectedEntities: [PAY] });
      expect((await tlsOf(stores, PAY)).retestRequired).toBeUndefined();
      await moveTo(stores, first.id, TO_CLOSED, NOW);
      expect(await tlsOf(stores, PAY)).toMatchObject({
        status: 'overdue',
        retestRequired: true,
      });
      const second = await open(stores, {
        title: 'Second',
        affectedEntities: [SHOP],
      });
      await stores.incidents.setIncidentReview({
        id: second.id,
        review: { rootCause: 'x', lessons: '', remediationActions: [] },
        version: second.version,
        actor: jane,
        now: NOW,
      });

      const all = await remediation.listRetests({
        owner: TEAM_B,
        incidentsVisible: true,
      });
      expect(all).toEqual([
        { entityRef: PAY, controlRef: TLS, incidents: expect.any(Array) },
      ]);
      expect(
        [...all[0].incidents].sort((a, b) => a.title.localeCompare(b.title)),
      ).toEqual([
        { id: first.id, title: 'Credential leak', status: 'closed' },
        { id: second.id, title: 'Second', status: 'reported' },
      ]);
      // A reader of only the incidents affecting TEAM_A's entities sees
      // only the second; one who may read none sees the pair alone.
      const filtered = await remediation.listRetests({
        entityRef: PAY,
        filter: { rule: 'affectsOwnedEntity', ownerRefs: [TEAM_A] },
        incidentsVisible: true,
      });
      expect(filtered[0].incidents.map(i => i.id)).toEqual([second.id]);
      const none = await remediation.listRetests({
        entityRef: PAY,
        incidentsVisible: false,
      });
      expect(none).toEqual([
        { entityRef: PAY, controlRef: TLS, incidents: [] },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores remediation actions, lists them only through the incident filter and records status changes, %p',
    async databaseId => {
      const { knex, stores } = await createStores(databases, databaseId);
      const remediation = await remediationStore(knex);
      const shopIncident = await open(stores, { failedControls: [MFA] });
      const payIncident = await open(stores, {
        title: 'Pay outage',
        affectedEntities: [PAY],
        failedControls: [],
      });
      const reviewed = await stores.incidents.setIncidentReview({
        id: shopIncident.id,
        review: {
          rootCause: 'no scanner',
          lessons: 'scan pushes',
          failedControls: [TLS, MFA],
          remediationActions: [
            {
              title: 'Add secret scanning',
              owner: TEAM_A,
              dueAt: ago(DAY),
              status: 'open',
            },
            {
              title: 'Rotate keys',
              owner: 'user:default/jane',
              dueAt: at(10).toISOString(),
              status: 'in-progress',
            },
          ],
        },
        version: shopIncident.version,
        actor: jane,
        now: NOW,
      });
      expect(reviewed.failedControls).toEqual([MFA, TLS]);
      await stores.incidents.setIncidentReview({
        id: payIncident.id,
        review: {
          rootCause: 'x',
          lessons: '',
          remediationActions: [
            {
              title: 'Add a replica',
              owner: TEAM_B,
              dueAt: at(3).toISOString(),
              status: 'open',
            },
          ],
        },
        version: payIncident.version,
        actor: jane,
        now: NOW,
      });

      const everything = await remediation.listActions({ query: {} });
      expect(everything.totalCount).toBe(3);
      expect(everything.items.map(a => a.title)).toEqual([
        'Add secret scanning',
        'Add a replica',
        'Rotate keys',
      ]);
      expect(everything.items[0]).toMatchObject({
        incidentId: shopIncident.id,
        incidentTitle: 'Credential leak',
        owner: TEAM_A,
        dueAt: ago(DAY),
        status: 'open',
      });
      const ofShop = await remediation.listActions({
        query: { entityRef: SHOP },
      });
      expect(ofShop.items.map(a => a.title)).toEqual([
        'Add secret scanning',
        'Rotate keys',
      ]);
      const ownedByB = await remediation.listActions({
        query: { owner: TEAM_B },
      });
      expect(ownedByB.items.map(a => a.title)).toEqual(['Add a replica']);
      const dueSoon = await remediation.listActions({
        query: { dueBefore: at(5).toISOString(), active: true },
      });
      expect(dueSoon.items.map(a => a.title)).toEqual([
        'Add secret scanning',
        'Add a replica',
      ]);
      // The filter hides actions and their count alike.
      const onlyA = await remediation.listActions({
        query: {},
        filter: { rule: 'affectsOwnedEntity', ownerRefs: [TEAM_A] },
      });
      expect(onlyA.totalCount).toBe(2);
      expect(onlyA.items.every(a => a.incidentId === shopIncident.id)).toBe(
        true,
      );
      const hidden = await remediation.listActions({
        query: { owner: TEAM_B },
        filter: { rule: 'affectsOwnedEntity', ownerRefs: [TEAM_A] },
      });
      expect(hidden).toEqual({ items: [], totalCount: 0 });
      const payAction = ownedByB.items[0];
      expect(
        await remediation.getAction({
          id: payAction.id,
          filter: { rule: 'affectsOwnedEntity', ownerRefs: [TEAM_A] },
        }),
      ).toBeUndefined();

      // A status change is noted on the incident's timeline.
      const done = await remediation.setActionStatus({
        id: payAction.id,
        status: 'done',
        note: 'replica added',
        actor: { ref: 'user:default/bob' },
        now: at(1),
      });
      expect(done).toMatchObject({
        status: 'done',
        updatedBy: 'user:default/bob',
        updatedAt: at(1).toISOString(),
      });
      const timeline = await stores.incidents.getIncidentTimeline(
        payIncident.id,
      );
      expect(timeline[timeline.length - 1]).toMatchObject({
        action: 'updated',
        actor: 'user:default/bob',
        note: 'replica added',
        changes: {
          remediationAction: {
            id: payAction.id,
            title: 'Add a replica',
            status: { from: 'open', to: 'done' },
          },
        },
      });
      // The incident's own version is left alone.
      expect(
        (await stores.incidents.getIncident({ id: payIncident.id }))!.version,
      ).toBe(2);

      // A new save keeps actions by id and removes those left out.
      const [scanning] = reviewed.review!.remediationActions;
      const saved = await stores.incidents.setIncidentReview({
        id: shopIncident.id,
        review: {
          rootCause: 'no scanner',
          lessons: 'scan pushes',
          remediationActions: [
            {
              id: scanning.id,
              title: 'Add secret scanning',
              owner: TEAM_A,
              dueAt: ago(DAY),
              status: 'done',
            },
          ],
        },
        version: reviewed.version,
        actor: jane,
        now: at(2),
      });
      expect(saved.review!.remediationActions).toEqual([
        expect.objectContaining({
          id: scanning.id,
          status: 'done',
          updatedAt: at(2).toISOString(),
        }),
      ]);
      const [, , reviewedAgain] = (
        await stores.incidents.getIncidentTimeline(shopIncident.id)
      ).filter(e => e.action === 'reviewed' || e.action === 'created');
      expect(reviewedAgain.changes).toMatchObject({
        remediationActions: {
          added: [],
          changed: [
            {
              id: scanning.id,
              title: 'Add secret scanning',
              fields: ['status'],
            },
          ],
          removed: [{ title: 'Rotate keys' }],
        },
      });

      // An id of another incident's action is refused and nothing is written.
      await expect(
        stores.incidents.setIncidentReview({
          id: shopIncident.id,
          review: {
            rootCause: 'changed',
            lessons: '',
            remediationActions: [
              {
                id: payAction.id,
                title: 'steal',
                owner: TEAM_A,
                dueAt: ago(DAY),
                status: 'open',
              },
            ],
          },
          version: saved.version,
          actor: jane,
          now: at(3),
        }),
      ).rejects.toThrow(InputError);
      const unchanged = await stores.incidents.getIncident({
        id: shopIncident.id,
      });
      expect(unchanged!.version).toBe(saved.version);
      expect(unchanged!.review!.rootCause).toBe('no scanner');
      expect((await remediation.getAction({ id: payAction.id }))!.title).toBe(
        'Add a replica',
      );
    },
  );
});
