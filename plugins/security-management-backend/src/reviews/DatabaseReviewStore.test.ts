import {
  ago,
  ALL_INCIDENTS,
  createStores,
  DAY,
  DUE_SOON,
  NOW,
  PAY,
  posture,
  SHOP,
} from '../__testUtils__/stores';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('DatabaseReviewStore', () => {
  const databases = createTestDatabases();

  describe('reviews', () => {
    it.each(databases.eachSupportedId())(
      'stores reviews and lists them newest first, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const older = await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved-with-conditions',
            findings: 'weak ciphers',
            conditions: ['drop TLS 1.1'],
            reviewedAt: ago(100 * DAY),
            nextDueAt: ago(10 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        expect(older).toEqual({
          id: expect.any(String),
          entityRef: SHOP,
          reviewer: 'user:default/ciso',
          outcome: 'approved-with-conditions',
          findings: 'weak ciphers',
          conditions: ['drop TLS 1.1'],
          trackedConditions: [
            {
              reviewId: older.id,
              entityRef: SHOP,
              position: 0,
              text: 'drop TLS 1.1',
              status: 'open',
            },
          ],
          reviewedAt: ago(100 * DAY),
          nextDueAt: ago(10 * DAY),
        });
        const newer = await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved',
            findings: '',
            reviewedAt: ago(DAY),
            nextDueAt: ago(-89 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        await stores.reviews.createReview({
          input: {
            entityRef: PAY,
            outcome: 'changes-required',
            findings: 'no MFA',
            reviewedAt: ago(2 * DAY),
            nextDueAt: ago(-88 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const shop = await stores.reviews.listReviews({ entityRef: SHOP });
        expect(shop.items).toEqual([newer, older]);
        expect(shop.totalCount).toBe(2);
        const all = await stores.reviews.listReviews({ limit: 1 });
        expect([all.items.map(r => r.id), all.totalCount]).toEqual([
          [newer.id],
          3,
        ]);
      },
    );
  });

  describe('conditions', () => {
    it.each(databases.eachSupportedId())(
      'tracks each condition until it is met or waived, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const shop = await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved-with-conditions',
            findings: 'weak ciphers',
            conditions: ['drop TLS 1.1', 'rotate keys'],
            reviewedAt: ago(10 * DAY),
            nextDueAt: ago(-80 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const pay = await stores.reviews.createReview({
          input: {
            entityRef: PAY,
            outcome: 'approved-with-conditions',
            findings: 'no MFA',
            conditions: ['enforce MFA'],
            reviewedAt: ago(20 * DAY),
            nextDueAt: ago(-70 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const open = await stores.reviews.listConditions({ status: ['open'] });
        expect(open.items.map(c => [c.entityRef, c.text])).toEqual([
          [PAY, 'enforce MFA'],
          [SHOP, 'drop TLS 1.1'],
          [SHOP, 'rotate keys'],
        ]);
        expect(open.totalCount).toBe(3);

        const now = new Date(ago(DAY));
        const met = await stores.reviews.updateCondition({
          reviewId: shop.id,
          position: 1,
          update: { status: 'met', note: 'rotated on Monday' },
          actor: 'user:default/ciso',
          now,
        });
        expect(met).toEqual({
          reviewId: shop.id,
          entityRef: SHOP,
          position: 1,
          text: 'rotate keys',
          status: 'met',
          metAt: now.toISOString(),
          metBy: 'user:default/ciso',
          note: 'rotated on Monday',
        });
        await stores.reviews.updateCondition({
          reviewId: pay.id,
          position: 0,
          update: { status: 'waived', note: 'SSO covers it' },
          actor: 'user:default/ciso',
          now,
        });

        const stillOpen = await stores.reviews.listConditions({
          status: ['open'],
        });
        expect(stillOpen.items.map(c => c.text)).toEqual(['drop TLS 1.1']);
        const ofShop = await stores.reviews.listConditions({ entityRef: SHOP });
        expect(ofShop.items.map(c => c.status)).toEqual(['open', 'met']);
        const [review] = (await stores.reviews.listReviews({ entityRef: SHOP }))
          .items;
        expect(review.trackedConditions?.map(c => c.status)).toEqual([
          'open',
          'met',
        ]);

        // A condition is signed off once; an unknown one is a 404.
        await expect(
          stores.reviews.updateCondition({
            reviewId: shop.id,
            position: 1,
            update: { status: 'waived', note: 'again' },
            actor: 'user:default/other',
            now,
          }),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        await expect(
          stores.reviews.updateCondition({
            reviewId: shop.id,
            position: 2,
            update: { status: 'met' },
            actor: 'user:default/ciso',
            now,
          }),
        ).rejects.toMatchObject({ name: 'NotFoundError' });
        const unchanged = await stores.reviews.listConditions({
          entityRef: SHOP,
          status: ['met'],
        });
        expect(unchanged.items[0].metBy).toBe('user:default/ciso');
      },
    );

    it.each(databases.eachSupportedId())(
      "counts the latest review's open conditions in the entity's posture, %p",
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        expect((await posture(stores, SHOP))?.review.openConditions).toBe(0);
        const older = await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved-with-conditions',
            findings: 'weak ciphers',
            conditions: ['drop TLS 1.1', 'rotate keys', 'add a WAF'],
            reviewedAt: ago(30 * DAY),
            nextDueAt: ago(-60 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        expect((await posture(stores, SHOP))?.review.openConditions).toBe(3);
        const latest = await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved-with-conditions',
            findings: 'better',
            conditions: ['drop TLS 1.1', 'rotate keys'],
            reviewedAt: ago(2 * DAY),
            nextDueAt: ago(-88 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        await stores.reviews.updateCondition({
          reviewId: latest.id,
          position: 0,
          update: { status: 'met' },
          actor: 'user:default/ciso',
          now: NOW,
        });
        const shop = await posture(stores, SHOP);
        expect(shop?.review).toMatchObject({
          lastOutcome: 'approved-with-conditions',
          openConditions: 1,
        });
        expect(older.trackedConditions).toHaveLength(3);
        // Only the single-entity answer counts them.
        const page = await stores.posture.listPosture({
          query: {},
          incidentAccess: ALL_INCIDENTS,
          now: NOW,
          reviewDueSoon: DUE_SOON,
        });
        expect(
          page.items.find(p => p.entityRef === SHOP)?.review.openConditions,
        ).toBeUndefined();
      },
    );

    it.each(databases.eachSupportedId())(
      'lets one of two concurrent sign-offs win, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const review = await stores.reviews.createReview({
          input: {
            entityRef: SHOP,
            outcome: 'approved-with-conditions',
            findings: 'weak ciphers',
            conditions: ['drop TLS 1.1'],
            reviewedAt: ago(DAY),
            nextDueAt: ago(-89 * DAY),
          },
          reviewer: 'user:default/ciso',
        });
        const results = await Promise.allSettled(
          ['user:default/a', 'user:default/b'].map(actor =>
            stores.reviews.updateCondition({
              reviewId: review.id,
              position: 0,
              update: { status: 'met' },
              actor,
              now: new Date(),
            }),
          ),
        );
        expect(results.map(r => r.status).sort()).toEqual([
          'fulfilled',
          'rejected',
        ]);
      },
    );
  });
});
