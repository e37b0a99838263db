import {
  controlStatus,
  emptyControlCounts,
  emptyIncidentCounts,
  EntityPosture,
  IncidentInput,
  postureScore,
  reviewStatus,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { StoredEntity } from '../applicability/ApplicabilityStore';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import {
  ago,
  ALL_INCIDENTS,
  CART,
  CONTROLS,
  createStores,
  DAY,
  DB,
  DUE_SOON,
  ENTITIES,
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
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('DatabasePostureStore', () => {
  const databases = createTestDatabases();

  describe('posture', () => {
    it.each(databases.eachSupportedId())(
      'follows controlStatus of -common, at the boundaries too, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const tlsCadence = 90 * DAY;
        // Each case is one (entity, control) pair with its latest test and exception.
        const cases: Array<{
          name: string;
          latest?: { result: TestResult; testedAt: string };
          exceptionExpiresAt?: string;
          expected: string;
        }> = [
          { name: 'untested', expected: 'untested' },
          {
            name: 'due exactly now',
            latest: { result: 'pass', testedAt: ago(tlsCadence) },
            expected: 'overdue',
          },
          {
            name: 'due in 1ms',
            latest: { result: 'pass', testedAt: ago(tlsCadence - 1) },
            expected: 'passing',
          },
          {
            name: 'fail',
            latest: { result: 'fail', testedAt: ago(DAY) },
            expected: 'failing',
          },
          {
            name: 'partial',
            latest: { result: 'partial', testedAt: ago(DAY) },
            expected: 'failing',
          },
          {
            name: 'error',
            latest: { result: 'error', testedAt: ago(DAY) },
            expected: 'failing',
          },
          {
            name: 'tested in the future',
            latest: { result: 'pass', testedAt: ago(-DAY) },
            expected: 'passing',
          },
          {
            name: 'exception expiring now',
            latest: { result: 'fail', testedAt: ago(DAY) },
            exceptionExpiresAt: ago(0),
            expected: 'failing',
          },
          {
            name: 'exception expiring in 1ms',
            latest: { result: 'fail', testedAt: ago(DAY) },
            exceptionExpiresAt: ago(-1),
            expected: 'excepted',
          },
        ];
        const entities: StoredEntity[] = cases.map((_, i) => ({
          entityRef: `component:default/case-${i}`,
          kind: 'Component',
          riskTier: 3,
          controlRefs: [TLS],
        }));
        await stores.applicability.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities,
          now: NOW,
        });
        for (const [i, c] of cases.entries()) {
          const entityRef = entities[i].entityRef;
          if (c.latest) {
            await record(stores, [
              test(TLS, entityRef, c.latest.result, c.latest.testedAt),
            ]);
          }
          if (c.exceptionExpiresAt) {
            const requested = await stores.exceptions.requestException({
              input: {
                controlRef: TLS,
                entityRef,
                justification: 'legacy',
                expiresAt: c.exceptionExpiresAt,
              },
              requestedBy: 'user:default/dev',
              now: new Date(NOW.getTime() - DAY),
            });
            await stores.exceptions.decideException({
              id: requested.id,
              decision: 'approved',
              decidedBy: 'user:default/ciso',
              now: new Date(NOW.getTime() - DAY),
            });
          }
        }

        for (const [i, c] of cases.entries()) {
          const expected = controlStatus({
            cadence: 'P90D',
            latest: c.latest,
            exceptionExpiresAt: c.exceptionExpiresAt,
            now: NOW,
          });
          expect([c.name, expected]).toEqual([c.name, c.expected]);
          const single = await posture(stores, entities[i].entityRef);
          expect([c.name, single?.controls?.[0].status]).toEqual([
            c.name,
            expected,
          ]);
          expect([c.name, single?.counts[expected as 'passing']]).toEqual([
            c.name,
            1,
          ]);
        }
        const coverage = await stores.applicability.getControlCoverage({
          controlRef: TLS,
          now: NOW,
        });
        for (const [i, c] of cases.entries()) {
          expect([
            c.name,
            coverage?.entities.find(e => e.entityRef === entities[i].entityRef)
              ?.status,
          ]).toEqual([c.name, c.expected]);
        }
        // The roll-up counts the same statuses, from the pairs directly.
        const expectedCounts = emptyControlCounts();
        for (const c of cases) expectedCounts[c.expected as 'passing']++;
        const rollup = await stores.posture.rollup({
          by: 'owner',
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(rollup.items.map(item => item.counts)).toEqual([expectedCounts]);
      },
    );

    it.each(databases.eachSupportedId())(
      'computes review status, open incidents, score and grade, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [
          test(TLS, SHOP, 'pass', ago(DAY)),
          test(MFA, SHOP, 'pass', ago(DAY)),
          test(TLS, PAY, 'pass', ago(DAY)),
        ]);
        const review = (
          entityRef: string,
          reviewedAt: string,
          nextDueAt: string,
        ) =>
          stores.reviews.createReview({
            input: {
              entityRef,
              outcome: 'approved',
              findings: 'ok',
              reviewedAt,
              nextDueAt,
            },
            reviewer: 'user:default/ciso',
          });
        // An older review due later must not win over the latest one.
        await review(SHOP, ago(200 * DAY), ago(-300 * DAY));
        await review(SHOP, ago(10 * DAY), ago(-30 * DAY));
        await review(CART, ago(10 * DAY), ago(-31 * DAY));
        await review(PAY, ago(400 * DAY), ago(0));
        const incident = (severity: IncidentInput['severity']) =>
          stores.incidents.createIncident({
            input: { title: severity, severity, affectedEntities: [PAY] },
            actor: { ref: 'user:default/dev' },
            now: NOW,
          });
        await incident('critical');
        await incident('high');
        const closed = await incident('critical');
        for (const to of [
          'triaged',
          'contained',
          'eradicated',
          'recovered',
          'closed',
        ] as const) {
          const current = (await stores.incidents.getIncident({
            id: closed.id,
          }))!;
          await stores.incidents.transitionIncident({
            id: closed.id,
            to,
            version: current.version,
            actor: { ref: 'user:default/dev' },
            now: NOW,
          });
        }

        const [shop, cart, pay, db] = await stores.posture.getPostureBatch({
          entityRefs: [SHOP, CART, PAY, DB],
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(shop.review).toEqual({
          status: 'due-soon',
          lastReviewedAt: ago(10 * DAY),
          lastOutcome: 'approved',
          nextDueAt: ago(-30 * DAY),
          riskTier: 1,
        });
        expect(shop.review.status).toBe(
          reviewStatus({
            nextDueAt: ago(-30 * DAY),
            now: NOW,
            dueSoon: DUE_SOON,
          }),
        );
        expect(shop).toMatchObject({ score: 100, grade: 'A' });
        expect(cart.review.status).toBe('current');
        expect(cart).toMatchObject({
          counts: { untested: 1 },
          score: 0,
          grade: 'F',
        });
        expect(pay.review.status).toBe('overdue');
        expect(pay.openIncidents).toEqual({
          critical: 1,
          high: 1,
          medium: 0,
          low: 0,
        });
        // 1 of 3 passing = 33, -10 overdue review; incidents are beside the
        // score, not in it.
        expect(pay).toMatchObject({ score: 23, grade: 'F' });
        expect(pay.score).toBe(
          postureScore({ counts: pay.counts, review: pay.review.status }),
        );
        expect(db).toMatchObject({
          review: { status: 'never-reviewed', riskTier: 3 },
          score: null,
          grade: 'N/A',
        });
        expect(db.controls).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'answers a batch in request order, without unknown or removed entities, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await stores.applicability.replaceCatalogSnapshot({
          controls: CONTROLS,
          entities: ENTITIES.filter(e => e.entityRef !== CART),
          now: NOW,
        });
        const batch = await stores.posture.getPostureBatch({
          entityRefs: [PAY, 'component:default/nope', CART, SHOP],
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(batch.map(p => p.entityRef)).toEqual([PAY, SHOP]);
        expect(await posture(stores, 'component:default/nope')).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'shows the active exception of a control, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const requested = await stores.exceptions.requestException({
          input: {
            controlRef: MFA,
            entityRef: SHOP,
            justification: 'hardware tokens on order',
            expiresAt: ago(-10 * DAY),
          },
          requestedBy: 'user:default/dev',
          now: NOW,
        });
        expect((await posture(stores, SHOP))?.counts.excepted).toBe(0);
        await stores.exceptions.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: 'user:default/ciso',
          now: NOW,
        });
        const shop = await posture(stores, SHOP);
        expect(shop?.controls?.[0]).toEqual({
          control: CONTROLS[1],
          status: 'excepted',
          exception: {
            id: requested.id,
            expiresAt: ago(-10 * DAY),
            justification: 'hardware tokens on order',
          },
        });
        expect(shop?.counts).toEqual({
          passing: 0,
          failing: 0,
          overdue: 0,
          untested: 1,
          excepted: 1,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'filters, counts and orders the posture list in SQL, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [
          test(TLS, PAY, 'fail', ago(DAY)),
          test(MFA, PAY, 'pass', ago(100 * DAY)),
          test(TLS, CART, 'fail', ago(DAY)),
          test(TLS, SHOP, 'pass', ago(DAY)),
        ]);
        await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved',
            findings: 'ok',
            reviewedAt: ago(DAY),
            nextDueAt: ago(-100 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const list = (query: object) =>
          stores.posture.listPosture({
            query,
            now: NOW,
            reviewDueSoon: DUE_SOON,
            incidentAccess: ALL_INCIDENTS,
          });

        const all = await list({});
        expect(all.totalCount).toBe(4);
        // Most failing + overdue first, then by ref.
        expect(all.items.map(p => p.entityRef)).toEqual([PAY, CART, SHOP, DB]);
        expect(all.items[0].controls).toBeUndefined();

        const failing = await list({ controlStatus: ['failing'], limit: 1 });
        expect(failing.totalCount).toBe(2);
        expect(failing.items.map(p => p.entityRef)).toEqual([PAY]);
        const second = await list({
          controlStatus: ['failing'],
          limit: 1,
          offset: 1,
        });
        expect(second.items.map(p => p.entityRef)).toEqual([CART]);

        const some = await list({ controlStatus: ['overdue', 'untested'] });
        expect(some.items.map(p => p.entityRef)).toEqual([PAY, SHOP]);

        const current = await list({ reviewStatus: ['current'] });
        expect(current.items.map(p => p.entityRef)).toEqual([SHOP]);
        const never = await list({
          reviewStatus: ['never-reviewed'],
          owner: TEAM_B,
        });
        expect(never.items.map(p => p.entityRef)).toEqual([PAY, DB]);
        expect(never.totalCount).toBe(2);

        expect(
          (await list({ system: 'system:default/store' })).totalCount,
        ).toBe(2);
        expect(
          (await list({ domain: 'domain:default/commerce' })).totalCount,
        ).toBe(3);
        expect(
          (await list({ kind: 'Resource' })).items.map(p => p.entityRef),
        ).toEqual([DB]);
        expect(await list({ owner: 'group:default/nobody' })).toEqual({
          items: [],
          totalCount: 0,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'rolls up by owner, system and domain, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        await record(stores, [
          test(TLS, SHOP, 'pass', ago(DAY)),
          test(MFA, SHOP, 'pass', ago(DAY)),
          test(TLS, CART, 'fail', ago(DAY)),
          test(TLS, PAY, 'pass', ago(100 * DAY)),
        ]);
        await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved',
            findings: 'ok',
            reviewedAt: ago(DAY),
            nextDueAt: ago(-100 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        // One incident on two entities of team-a counts once for team-a.
        await stores.incidents.createIncident({
          input: {
            title: 'x',
            severity: 'high',
            affectedEntities: [SHOP, CART, PAY],
          },
          actor: { ref: 'user:default/dev' },
          now: NOW,
        });

        const byOwner = await stores.posture.rollup({
          by: 'owner',
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(byOwner).toEqual({
          by: 'owner',
          items: [
            {
              key: TEAM_A,
              entityCount: 2,
              counts: {
                passing: 2,
                failing: 1,
                overdue: 0,
                untested: 0,
                excepted: 0,
              },
              review: {
                current: 1,
                'due-soon': 0,
                'review-required': 0,
                overdue: 0,
                'never-reviewed': 1,
              },
              openIncidents: { critical: 0, high: 1, medium: 0, low: 0 },
              score: 67,
            },
            {
              key: TEAM_B,
              entityCount: 2,
              counts: {
                passing: 0,
                failing: 0,
                overdue: 1,
                untested: 2,
                excepted: 0,
              },
              review: {
                current: 0,
                'due-soon': 0,
                'review-required': 0,
                overdue: 0,
                'never-reviewed': 2,
              },
              openIncidents: { critical: 0, high: 1, medium: 0, low: 0 },
              score: 8,
            },
          ],
        });

        const bySystem = await stores.posture.rollup({
          by: 'system',
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(bySystem.items.map(i => [i.key, i.entityCount])).toEqual([
          ['system:default/payments', 1],
          ['system:default/store', 2],
          [null, 1],
        ]);
        const byDomain = await stores.posture.rollup({
          by: 'domain',
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(
          byDomain.items.map(i => [i.key, i.entityCount, i.score]),
        ).toEqual([
          ['domain:default/commerce', 3, 38],
          [null, 1, null],
        ]);
      },
    );

    it.each(databases.eachSupportedId())(
      'counts only the open incidents the caller may read, and none without access, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const incident = (
          severity: IncidentInput['severity'],
          affectedEntities: string[],
          reporter: string,
        ) =>
          stores.incidents.createIncident({
            input: { title: severity, severity, affectedEntities },
            actor: { ref: reporter },
            now: NOW,
          });
        // team-a owns SHOP and CART, team-b owns PAY and DB.
        await incident('critical', [PAY], 'user:default/dev');
        await incident('high', [SHOP, PAY], 'user:default/dev');
        await incident('low', [CART], 'user:default/bob');
        const times = { now: NOW, reviewDueSoon: DUE_SOON };
        const none = emptyIncidentCounts();

        // What the example policy grants a member of team-a: incidents on
        // entities it owns, or that the user reported.
        const teamA: IncidentReadAccess = {
          allowed: true,
          filter: {
            anyOf: [
              { rule: 'affectsOwnedEntity', ownerRefs: [TEAM_A] },
              { rule: 'reportedBy', userRefs: ['user:default/bob'] },
            ],
          },
        };
        const byRef = (items: EntityPosture[]) =>
          Object.fromEntries(items.map(p => [p.entityRef, p.openIncidents]));
        const expected = {
          [SHOP]: { ...none, high: 1 },
          [CART]: { ...none, low: 1 },
          // The high incident hits PAY too; the critical one is hidden.
          [PAY]: { ...none, high: 1 },
          [DB]: none,
        };
        const refs = [SHOP, CART, PAY, DB];
        expect(
          byRef(
            await stores.posture.getPostureBatch({
              entityRefs: refs,
              incidentAccess: teamA,
              ...times,
            }),
          ),
        ).toEqual(expected);
        const list = await stores.posture.listPosture({
          query: {},
          incidentAccess: teamA,
          ...times,
        });
        expect(byRef(list.items)).toEqual(expected);
        const single = await stores.posture.getEntityPosture({
          entityRef: PAY,
          incidentAccess: teamA,
          ...times,
        });
        expect(single?.openIncidents).toEqual({ ...none, high: 1 });
        const rollup = await stores.posture.rollup({
          by: 'owner',
          incidentAccess: teamA,
          ...times,
        });
        expect(
          rollup.items.map(item => [item.key, item.openIncidents]),
        ).toEqual([
          [TEAM_A, { ...none, high: 1, low: 1 }],
          [TEAM_B, { ...none, high: 1 }],
        ]);

        // Every incident for a caller who may read them all.
        const all = await stores.posture.getEntityPosture({
          entityRef: PAY,
          incidentAccess: ALL_INCIDENTS,
          ...times,
        });
        expect(all?.openIncidents).toEqual({ ...none, critical: 1, high: 1 });

        // No counts at all for a caller who may read none; the same score.
        const denied = { allowed: false } as const;
        const hidden = [
          await stores.posture.getEntityPosture({
            entityRef: PAY,
            incidentAccess: denied,
            ...times,
          }),
          ...(await stores.posture.getPostureBatch({
            entityRefs: refs,
            incidentAccess: denied,
            ...times,
          })),
          ...(
            await stores.posture.listPosture({
              query: {},
              incidentAccess: denied,
              ...times,
            })
          ).items,
          ...(
            await stores.posture.rollup({
              by: 'owner',
              incidentAccess: denied,
              ...times,
            })
          ).items,
        ];
        for (const item of hidden) {
          expect(item).not.toHaveProperty('openIncidents');
        }
        expect(hidden[0]?.score).toBe(all?.score);
      },
    );
  });
});
