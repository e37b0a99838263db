import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ago,
  createStores,
  DAY,
  MFA,
  NOW,
  PAY,
  posture,
  SHOP,
} from '../__testUtils__/stores';
import { SecurityStores } from '../database';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('DatabaseExceptionStore', () => {
  const databases = createTestDatabases();

  describe('exceptions', () => {
    const dev = 'user:default/dev';
    const ciso = 'user:default/ciso';

    async function request(stores: SecurityStores, expiresAt = ago(-30 * DAY)) {
      return stores.exceptions.requestException({
        input: {
          controlRef: MFA,
          entityRef: SHOP,
          justification: 'legacy',
          expiresAt,
        },
        requestedBy: dev,
        now: NOW,
      });
    }

    it.each(databases.eachSupportedId())(
      'approves and rejects requests once, never by the requester, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const requested = await request(stores);
        expect(requested).toEqual({
          id: expect.any(String),
          controlRef: MFA,
          entityRef: SHOP,
          justification: 'legacy',
          status: 'requested',
          requestedBy: dev,
          requestedAt: NOW.toISOString(),
          expiresAt: ago(-30 * DAY),
        });
        await expect(
          stores.exceptions.decideException({
            id: requested.id,
            decision: 'approved',
            decidedBy: dev,
            now: NOW,
          }),
        ).rejects.toThrow(
          new NotAllowedError(
            'the requester cannot approve their own exception',
          ),
        );
        await expect(
          stores.exceptions.decideException({
            id: 'missing',
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          }),
        ).rejects.toThrow(NotFoundError);

        const approved = await stores.exceptions.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: ciso,
          note: 'until the migration',
          now: NOW,
        });
        expect(approved).toMatchObject({
          status: 'approved',
          decidedBy: ciso,
          decidedAt: NOW.toISOString(),
          decisionNote: 'until the migration',
        });
        expect(await stores.exceptions.getException(requested.id, NOW)).toEqual(
          approved,
        );
        await expect(
          stores.exceptions.decideException({
            id: requested.id,
            decision: 'rejected',
            decidedBy: ciso,
            now: NOW,
          }),
        ).rejects.toThrow(ConflictError);

        const other = await request(stores);
        const rejected = await stores.exceptions.decideException({
          id: other.id,
          decision: 'rejected',
          decidedBy: ciso,
          now: NOW,
        });
        expect(rejected).toMatchObject({ status: 'rejected', decidedBy: ciso });
        expect(rejected.decisionNote).toBeUndefined();
        expect((await posture(stores, SHOP))?.counts.excepted).toBe(1);
      },
    );

    it.each(databases.eachSupportedId())(
      'lets one of two concurrent decisions win, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const requested = await request(stores);
        const results = await Promise.allSettled([
          stores.exceptions.decideException({
            id: requested.id,
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          }),
          stores.exceptions.decideException({
            id: requested.id,
            decision: 'rejected',
            decidedBy: 'user:default/auditor',
            now: NOW,
          }),
        ]);
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(ConflictError);
        const winner = results.find(
          r => r.status === 'fulfilled',
        ) as PromiseFulfilledResult<any>;
        expect(
          (await stores.exceptions.getException(requested.id, NOW))?.status,
        ).toBe(winner.value.status);
      },
    );

    it.each(databases.eachSupportedId())(
      'expires approved exceptions whose expiry has come, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const approve = async (expiresAt: string) => {
          const r = await request(stores, expiresAt);
          return stores.exceptions.decideException({
            id: r.id,
            decision: 'approved',
            decidedBy: ciso,
            now: NOW,
          });
        };
        const now = await approve(ago(0));
        const past = await approve(ago(DAY));
        const future = await approve(ago(-1));
        const pending = await request(stores, ago(DAY));

        const expired = await stores.exceptions.expireExceptions(NOW);
        expect(expired.map(e => e.id).sort()).toEqual([now.id, past.id].sort());
        expect(expired.every(e => e.status === 'expired')).toBe(true);
        expect(await stores.exceptions.expireExceptions(NOW)).toEqual([]);
        expect(
          (await stores.exceptions.getException(future.id, NOW))?.status,
        ).toBe('approved');
        expect(
          (await stores.exceptions.getException(pending.id, NOW))?.status,
        ).toBe('requested');

        const list = await stores.exceptions.listExceptions(
          {
            status: ['expired'],
          },
          NOW,
        );
        expect(list.totalCount).toBe(2);
        const soon = await stores.exceptions.listExceptions(
          {
            status: ['approved', 'requested'],
            expiresBefore: NOW.toISOString(),
          },
          NOW,
        );
        expect(soon.items.map(e => e.id)).toEqual([pending.id]);
        const bySubject = await stores.exceptions.listExceptions(
          {
            entityRef: SHOP,
            controlRef: MFA,
            limit: 2,
          },
          NOW,
        );
        expect([bySubject.items.length, bySubject.totalCount]).toEqual([2, 4]);
        expect(
          await stores.exceptions.listExceptions({ entityRef: PAY }, NOW),
        ).toEqual({
          items: [],
          totalCount: 0,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'answers an approved exception past its expiry as expired at once, in the list and by id, %p',
      async databaseId => {
        const { stores } = await createStores(databases, databaseId);
        const requested = await request(stores, ago(-DAY));
        await stores.exceptions.decideException({
          id: requested.id,
          decision: 'approved',
          decidedBy: ciso,
          now: NOW,
        });
        const expiry = new Date(NOW.getTime() + DAY);
        const later = new Date(NOW.getTime() + 2 * DAY);

        // Before its expiry it is approved and excepts the control.
        expect(
          (await stores.exceptions.getException(requested.id, NOW))?.status,
        ).toBe('approved');
        // At its expiry, before any housekeeping, every answer says expired.
        for (const at of [expiry, later]) {
          expect(
            (await stores.exceptions.getException(requested.id, at))?.status,
          ).toBe('expired');
          const listed = await stores.exceptions.listExceptions(
            { entityRef: SHOP },
            at,
          );
          expect(listed.items.map(e => e.status)).toEqual(['expired']);
          expect(
            await stores.exceptions.listExceptions(
              { status: ['approved'] },
              at,
            ),
          ).toEqual({ items: [], totalCount: 0 });
          const expired = await stores.exceptions.listExceptions(
            { status: ['expired'] },
            at,
          );
          expect([expired.totalCount, expired.items[0]?.id]).toEqual([
            1,
            requested.id,
          ]);
        }
      },
    );
  });
});
