import { ago, createStores, DAY, PAY, SHOP } from '../__testUtils__/stores';
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
});
