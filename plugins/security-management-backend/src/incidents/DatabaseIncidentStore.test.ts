import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { IncidentInput } from '@open-itsm/plugin-security-management-common';
import {
  ago,
  CART,
  createStores,
  DAY,
  DB,
  NOW,
  PAY,
  SHOP,
  TEAM_A,
  TEAM_B,
  TLS,
} from '../__testUtils__/stores';
import { SecurityStores } from '../database';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('DatabaseIncidentStore', () => {
  const databases = createTestDatabases();

  describe('incidents', () => {
    const jane = { ref: 'user:default/jane' };

    async function open(
      stores: SecurityStores,
      input?: Partial<IncidentInput>,
    ) {
      return stores.incidents.createIncident({
        input: {
          title: 'Credential leak',
          description: 'A key was pushed to a public repository',
          severity: 'high',
          affectedEntities: [SHOP, CART],
          failedControls: [TLS],
          externalReferences: [{ type: 'ticket', url: 'https://jira/SEC-1' }],
          ...input,
        },
        actor: jane,
        now: NOW,
      });
    }

    it.each(databases.eachSupportedId())(
      'creates an incident with its timeline, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const incident = await open(stores, { reportedAt: ago(DAY) });
        expect(incident).toEqual({
          id: expect.any(String),
          title: 'Credential leak',
          description: 'A key was pushed to a public repository',
          severity: 'high',
          status: 'reported',
          affectedEntities: [CART, SHOP],
          failedControls: [TLS],
          externalReferences: [{ type: 'ticket', url: 'https://jira/SEC-1' }],
          phases: { reported: ago(DAY) },
          createdBy: jane.ref,
          createdAt: NOW.toISOString(),
          updatedAt: NOW.toISOString(),
          version: 1,
        });
        expect(await stores.incidents.getIncident({ id: incident.id })).toEqual(
          incident,
        );
        expect(await stores.incidents.getIncidentTimeline(incident.id)).toEqual(
          [
            {
              id: expect.any(String),
              incidentId: incident.id,
              at: NOW.toISOString(),
              actor: jane.ref,
              action: 'created',
              toStatus: 'reported',
            },
          ],
        );
        expect(
          await stores.incidents.getIncident({ id: 'missing' }),
        ).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'moves through the lifecycle one phase at a time and can reopen, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        let incident = await open(stores);
        const phases = [
          'triaged',
          'contained',
          'eradicated',
          'recovered',
          'closed',
        ] as const;
        for (const [i, to] of phases.entries()) {
          incident = await stores.incidents.transitionIncident({
            id: incident.id,
            to,
            version: incident.version,
            note: `to ${to}`,
            actor: jane,
            now: new Date(NOW.getTime() + (i + 1) * DAY),
          });
        }
        expect(incident.status).toBe('closed');
        expect(incident.version).toBe(6);
        expect(incident.phases).toEqual({
          reported: NOW.toISOString(),
          triaged: ago(-DAY),
          contained: ago(-2 * DAY),
          eradicated: ago(-3 * DAY),
          recovered: ago(-4 * DAY),
          closed: ago(-5 * DAY),
        });

        await expect(
          stores.incidents.transitionIncident({
            id: incident.id,
            to: 'triaged',
            version: incident.version,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(
          new InputError(
            'cannot move incident from closed to triaged; next allowed: reported',
          ),
        );

        const again = await stores.incidents.transitionIncident({
          id: incident.id,
          to: 'reported',
          version: incident.version,
          note: 'it came back',
          actor: jane,
          now: new Date(NOW.getTime() + 10 * DAY),
        });
        expect(again.status).toBe('reported');
        // Earlier phase times stay: they are when each phase was first reached.
        expect(again.phases).toEqual(incident.phases);
        const moved = await stores.incidents.transitionIncident({
          id: again.id,
          to: 'triaged',
          version: again.version,
          actor: jane,
          now: new Date(NOW.getTime() + 11 * DAY),
        });
        expect(moved.phases.triaged).toBe(ago(-DAY));

        const timeline = await stores.incidents.getIncidentTimeline(
          incident.id,
        );
        expect(timeline.map(e => [e.action, e.fromStatus, e.toStatus])).toEqual(
          [
            ['created', undefined, 'reported'],
            ['transitioned', 'reported', 'triaged'],
            ['transitioned', 'triaged', 'contained'],
            ['transitioned', 'contained', 'eradicated'],
            ['transitioned', 'eradicated', 'recovered'],
            ['transitioned', 'recovered', 'closed'],
            ['transitioned', 'closed', 'reported'],
            ['transitioned', 'reported', 'triaged'],
          ],
        );
        expect(timeline[6]).toMatchObject({
          note: 'it came back',
          actor: jane.ref,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'refuses an illegal jump, a stale version and an unknown incident, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const incident = await open(stores);
        await expect(
          stores.incidents.transitionIncident({
            id: incident.id,
            to: 'closed',
            version: 1,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(
          new InputError(
            'cannot move incident from reported to closed; next allowed: triaged',
          ),
        );
        await expect(
          stores.incidents.transitionIncident({
            id: incident.id,
            to: 'triaged',
            version: 7,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(ConflictError);
        await expect(
          stores.incidents.updateIncident({
            id: incident.id,
            patch: { version: 0, title: 'x' },
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(/current version is 1/);
        await expect(
          stores.incidents.transitionIncident({
            id: 'missing',
            to: 'triaged',
            version: 1,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);
        await expect(
          stores.incidents.setIncidentReview({
            id: 'missing',
            review: { rootCause: '', lessons: '', remediationActions: [] },
            version: 1,
            actor: jane,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);
        expect(
          await stores.incidents.getIncidentTimeline(incident.id),
        ).toHaveLength(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'lets exactly one of two concurrent transitions win, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const incident = await open(stores);
        const results = await Promise.allSettled(
          [0, 1].map(i =>
            stores.incidents.transitionIncident({
              id: incident.id,
              to: 'triaged',
              version: incident.version,
              note: `attempt ${i}`,
              actor: jane,
              now: NOW,
            }),
          ),
        );
        const fulfilled = results.filter(r => r.status === 'fulfilled');
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(ConflictError);
        expect(rejected[0].reason.message).toMatch(/current version is 2/);
        const timeline = await stores.incidents.getIncidentTimeline(
          incident.id,
        );
        expect(timeline.map(e => e.action)).toEqual([
          'created',
          'transitioned',
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'updates fields and records what changed, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const incident = await open(stores);
        const ok = await stores.incidents.updateIncident({
          id: incident.id,
          patch: {
            version: 1,
            title: 'Credential leak',
            severity: 'critical',
            affectedEntities: [PAY, SHOP, PAY],
          },
          actor: jane,
          now: new Date(NOW.getTime() + DAY),
        });
        expect(ok).toMatchObject({
          severity: 'critical',
          affectedEntities: [PAY, SHOP],
          failedControls: [TLS],
          version: 2,
          updatedAt: ago(-DAY),
          createdAt: NOW.toISOString(),
        });
        const [, entry] = await stores.incidents.getIncidentTimeline(
          incident.id,
        );
        expect(entry).toMatchObject({
          action: 'updated',
          actor: jane.ref,
          changes: {
            severity: { from: 'high', to: 'critical' },
            affectedEntities: { from: [CART, SHOP], to: [PAY, SHOP] },
          },
        });

        const reviewed = await stores.incidents.setIncidentReview({
          id: incident.id,
          review: {
            rootCause: 'no scanner',
            lessons: 'scan',
            remediationActions: [
              {
                title: 'add scanner',
                owner: TEAM_A,
                dueAt: ago(-DAY),
                status: 'open',
              },
            ],
          },
          version: 2,
          actor: jane,
          now: NOW,
        });
        expect(reviewed).toMatchObject({
          version: 3,
          review: {
            rootCause: 'no scanner',
            lessons: 'scan',
            remediationActions: [
              {
                id: expect.any(String),
                incidentId: incident.id,
                title: 'add scanner',
                owner: TEAM_A,
                dueAt: ago(-DAY),
                status: 'open',
                updatedAt: NOW.toISOString(),
                updatedBy: jane.ref,
              },
            ],
          },
        });
        const timeline = await stores.incidents.getIncidentTimeline(
          incident.id,
        );
        expect(timeline.map(e => e.action)).toEqual([
          'created',
          'updated',
          'reviewed',
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'lists incidents with filters, newest first, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const at = (days: number) => new Date(NOW.getTime() + days * DAY);
        const a = await stores.incidents.createIncident({
          input: { title: 'a', severity: 'low', affectedEntities: [SHOP] },
          actor: jane,
          now: at(1),
        });
        const b = await stores.incidents.createIncident({
          input: { title: 'b', severity: 'critical', affectedEntities: [PAY] },
          actor: jane,
          now: at(2),
        });
        const c = await stores.incidents.createIncident({
          input: { title: 'c', severity: 'high', affectedEntities: [CART, DB] },
          actor: jane,
          now: at(3),
        });
        let current = a;
        for (const to of [
          'triaged',
          'contained',
          'eradicated',
          'recovered',
          'closed',
        ] as const) {
          current = await stores.incidents.transitionIncident({
            id: a.id,
            to,
            version: current.version,
            actor: jane,
            now: at(4),
          });
        }
        const ids = async (query: object) => {
          const page = await stores.incidents.listIncidents({ query });
          return [page.items.map(i => i.id), page.totalCount];
        };
        expect(await ids({})).toEqual([[c.id, b.id, a.id], 3]);
        expect(await ids({ limit: 1, offset: 1 })).toEqual([[b.id], 3]);
        expect(await ids({ open: true })).toEqual([[c.id, b.id], 2]);
        expect(await ids({ open: false })).toEqual([[a.id], 1]);
        expect(await ids({ status: ['reported', 'closed'] })).toEqual([
          [c.id, b.id, a.id],
          3,
        ]);
        expect(await ids({ severity: ['critical', 'low'] })).toEqual([
          [b.id, a.id],
          2,
        ]);
        expect(await ids({ owner: TEAM_B })).toEqual([[c.id, b.id], 2]);
        expect(await ids({ entityRef: DB })).toEqual([[c.id], 1]);
        const [first] = (
          await stores.incidents.listIncidents({ query: { entityRef: DB } })
        ).items;
        expect(first.affectedEntities).toEqual([CART, DB]);
      },
    );

    it.each(databases.eachSupportedId())(
      'hides what the permission filter hides, from items and counts, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const mine = await stores.incidents.createIncident({
          input: { title: 'mine', severity: 'low', affectedEntities: [SHOP] },
          actor: jane,
          now: NOW,
        });
        const theirs = await stores.incidents.createIncident({
          input: {
            title: 'theirs',
            severity: 'critical',
            affectedEntities: [PAY],
          },
          actor: { ref: 'user:default/bob' },
          now: new Date(NOW.getTime() + 1),
        });
        const both = await stores.incidents.createIncident({
          input: {
            title: 'both',
            severity: 'medium',
            affectedEntities: [CART, DB],
          },
          actor: { ref: 'user:default/bob' },
          now: new Date(NOW.getTime() + 2),
        });
        const owned = {
          rule: 'affectsOwnedEntity' as const,
          ownerRefs: [TEAM_A],
        };
        const visible = async (filter: any) => {
          const page = await stores.incidents.listIncidents({
            query: {},
            filter,
          });
          return [page.items.map(i => i.title).sort(), page.totalCount];
        };

        expect(await visible(owned)).toEqual([['both', 'mine'], 2]);
        expect(
          await visible({ rule: 'hasSeverity', severities: ['critical'] }),
        ).toEqual([['theirs'], 1]);
        expect(
          await visible({ rule: 'reportedBy', userRefs: [jane.ref] }),
        ).toEqual([['mine'], 1]);
        expect(
          await visible({
            anyOf: [owned, { rule: 'hasSeverity', severities: ['critical'] }],
          }),
        ).toEqual([['both', 'mine', 'theirs'], 3]);
        expect(
          await visible({
            allOf: [
              owned,
              { not: { rule: 'reportedBy', userRefs: [jane.ref] } },
            ],
          }),
        ).toEqual([['both'], 1]);
        expect(await visible({ not: owned })).toEqual([['theirs'], 1]);
        expect(await visible({ anyOf: [] })).toEqual([[], 0]);
        expect(await visible({ not: { allOf: [] } })).toEqual([[], 0]);
        expect(
          await visible({ rule: 'affectsOwnedEntity', ownerRefs: [] }),
        ).toEqual([[], 0]);

        // Filters combine with the query.
        const page = await stores.incidents.listIncidents({
          query: { severity: ['low'] },
          filter: owned,
        });
        expect([page.items.map(i => i.id), page.totalCount]).toEqual([
          [mine.id],
          1,
        ]);

        expect(
          await stores.incidents.getIncident({ id: theirs.id, filter: owned }),
        ).toBeUndefined();
        expect(
          (await stores.incidents.getIncident({ id: both.id, filter: owned }))
            ?.title,
        ).toBe('both');
      },
    );
  });
});
