import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  REVIEW_TRIGGERS,
  ReviewTrigger,
} from '@open-itsm/plugin-security-management-common';
import { CatalogSync } from '../applicability/CatalogSync';
import { createSecurityStores } from '../database';
import { createTestDatabases } from '../__testUtils__/databases';
import { refs, testCatalog } from '../__testUtils__/securityBackend';
import { ALL_INCIDENTS, DAY, DUE_SOON } from '../__testUtils__/stores';
import { DatabaseReviewFactsStore } from './DatabaseReviewFactsStore';
import { ReviewChangeDetector } from './ReviewChangeDetector';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const VAULT = 'resource:default/vault';
const API = 'api:default/payments-rest-api';

/** The test catalog with payments-api experimental, tier 2, and a tier-1 vault. */
function catalog(): { entities: Entity[]; payments: Entity } {
  const entities = testCatalog();
  const payments = entities.find(e => e.metadata.name === 'payments-api')!;
  payments.spec!.lifecycle = 'experimental';
  payments.metadata.annotations!['security.open-itsm.dev/risk-tier'] = '2';
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'vault',
      namespace: 'default',
      annotations: { 'security.open-itsm.dev/risk-tier': '1' },
    },
    spec: { type: 'secrets', owner: 'team-b' },
  });
  return { entities, payments };
}

/** Every security-relevant change at once on payments-api. */
function changeEverything(payments: Entity) {
  payments.spec!.lifecycle = 'production';
  payments.spec!.owner = 'team-b';
  payments.metadata.annotations!['security.open-itsm.dev/risk-tier'] = '1';
  payments.relations!.push(
    { type: 'dependsOn', targetRef: VAULT },
    { type: 'providesApi', targetRef: API },
  );
}

describe('ReviewChangeDetector', () => {
  const databases = createTestDatabases();

  async function setup(
    databaseId: TestDatabaseId,
    triggers: readonly ReviewTrigger[] = REVIEW_TRIGGERS,
  ) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database.mock({
      getClient: async () => knex,
    });
    const stores = await createSecurityStores({ database });
    const { entities, payments } = catalog();
    const catalogService = catalogServiceMock({ entities });
    const auth = mockServices.auth({ pluginId: 'security-management' });
    const logger = mockServices.logger.mock();
    const detector = new ReviewChangeDetector({
      catalog: catalogService,
      auth,
      store: await DatabaseReviewFactsStore.create({ database }),
      triggers: new Set(triggers),
      logger,
    });
    const sync = new CatalogSync({
      catalog: catalogService,
      auth,
      store: stores.applicability,
      logger,
      reviewChanges: detector,
    });
    const review = (reviewedAt: Date) =>
      stores.reviews.createReview({
        input: {
          entityRef: refs.payments,
          outcome: 'approved',
          findings: 'fine',
          reviewedAt: reviewedAt.toISOString(),
          nextDueAt: at(80).toISOString(),
        },
        reviewer: 'user:default/ciso',
      });
    const posture = () =>
      stores.posture.getEntityPosture({
        entityRef: refs.payments,
        now: NOW,
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
    return {
      knex,
      stores,
      payments,
      entities,
      detector,
      sync,
      review,
      posture,
    };
  }

  it.each(databases.eachSupportedId())(
    'takes the first sight of an entity as no change, %p',
    async databaseId => {
      const { knex, sync, review, posture } = await setup(databaseId);
      await review(at(-20));
      await sync.run(at(-10));
      await sync.run(at(-5));
      expect(await knex('review_triggers')).toEqual([]);
      expect(
        (await knex('review_facts').orderBy('entity_ref')).map(
          row => row.entity_ref,
        ),
      ).toEqual([refs.ledger, refs.payments]);
      expect((await posture())?.review).toEqual(
        expect.objectContaining({ status: 'current' }),
      );
      expect((await posture())?.review.reasons).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'makes the review required for each change since it was done, until a later review, %p',
    async databaseId => {
      const { stores, payments, sync, review, posture } = await setup(
        databaseId,
      );
      await sync.run(at(-10));
      await review(at(-5));
      await stores.testing.addTestRecords({
        records: [refs.tls, refs.mfa].map(controlRef => ({
          controlRef,
          entityRef: refs.payments,
          result: 'pass' as const,
          testedAt: at(-2).toISOString(),
          method: 'automated' as const,
        })),
        tester: 'user:default/tester',
        now: NOW,
      });
      expect((await posture())?.score).toBe(100);
      changeEverything(payments);
      await sync.run(at(-1));

      const seenAt = at(-1).toISOString();
      const required = await posture();
      expect(required?.review.status).toBe('review-required');
      expect(required?.review.reasons).toEqual([
        {
          trigger: 'lifecycle-production',
          detail: 'lifecycle experimental → production',
          seenAt,
        },
        {
          trigger: 'owner-changed',
          detail: `owner ${refs.teamA} → ${refs.teamB}`,
          seenAt,
        },
        {
          trigger: 'tier1-dependency',
          detail: `depends on ${VAULT} (risk tier 1)`,
          seenAt,
        },
        { trigger: 'provided-api', detail: `provides ${API}`, seenAt },
        { trigger: 'risk-tier-raised', detail: 'risk tier 2 → 1', seenAt },
      ]);
      // The review no longer covers the service: the score loses 10.
      expect(required?.score).toBe(90);

      // Lists, roll-ups and the schedule say the same.
      const list = await stores.posture.listPosture({
        query: { reviewStatus: ['review-required'] },
        now: NOW,
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(list.items.map(item => item.entityRef)).toEqual([refs.payments]);
      expect(list.items[0].review.status).toBe('review-required');
      const rollup = await stores.posture.rollup({
        by: 'owner',
        now: NOW,
        reviewDueSoon: DUE_SOON,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(
        rollup.items.find(item => item.key === refs.teamB)?.review,
      ).toEqual(expect.objectContaining({ 'review-required': 1 }));
      const schedule = await stores.testing.schedule({
        query: {
          from: NOW.toISOString(),
          to: at(1).toISOString(),
        },
        now: NOW,
      });
      expect(schedule.reviews.find(r => r.entityRef === refs.payments)).toEqual(
        expect.objectContaining({
          state: 'review-required',
          reasons: required?.review.reasons,
        }),
      );

      // A review done after the changes clears the requirement.
      await review(at(-0.5));
      const cleared = await posture();
      expect(cleared?.review.status).toBe('current');
      expect(cleared?.review.reasons).toBeUndefined();
      const after = await stores.testing.schedule({
        query: { from: NOW.toISOString(), to: at(1).toISOString() },
        now: NOW,
      });
      expect(after.reviews.map(r => r.entityRef)).not.toContain(refs.payments);
      // Syncing the same catalog again is no new change.
      await sync.run(at(-0.1));
      expect((await posture())?.review.status).toBe('current');
    },
  );

  it.each(databases.eachSupportedId())(
    'records only the configured triggers, %p',
    async databaseId => {
      const { payments, sync, review, posture } = await setup(databaseId, [
        'owner-changed',
      ]);
      await sync.run(at(-10));
      await review(at(-5));
      payments.spec!.lifecycle = 'production';
      payments.relations!.push({ type: 'providesApi', targetRef: API });
      await sync.run(at(-3));
      expect((await posture())?.review.status).toBe('current');

      payments.spec!.owner = 'team-b';
      await sync.run(at(-1));
      const required = await posture();
      expect(required?.review.status).toBe('review-required');
      expect(required?.review.reasons?.map(r => r.trigger)).toEqual([
        'owner-changed',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records a change once when two syncs race, %p',
    async databaseId => {
      const { knex, entities, payments, sync, detector } = await setup(
        databaseId,
      );
      await sync.run(at(-10));
      changeEverything(payments);
      const synced = entities.filter(e => e.relations?.length);
      const results = await Promise.all([
        detector.detect({ entities: synced, now: at(-1) }),
        detector.detect({ entities: synced, now: at(-1) }),
      ]);
      expect(results.map(r => r.reasons).sort()).toEqual([0, 5]);
      const rows = await knex('review_triggers');
      expect(rows).toHaveLength(5);
    },
  );
});
