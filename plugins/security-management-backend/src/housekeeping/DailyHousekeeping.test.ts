import { mockServices } from '@backstage/backend-test-utils';
import { refs } from '../__testUtils__/securityBackend';
import { createSecurityStores } from '../database';
import { DailyHousekeeping } from './DailyHousekeeping';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const DAY_MS = 24 * 3600_000;

describe('DailyHousekeeping', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'expires approved exceptions past their expiry and audits it, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const stores = await createSecurityStores({
        database: mockServices.database({ knex }),
      });
      const now = new Date('2025-06-01T00:00:00Z');
      await stores.applicability.replaceCatalogSnapshot({
        controls: [
          {
            ref: refs.tls,
            title: 'TLS',
            owner: 'group:default/security-team',
            category: 'technical',
            criticality: 'high',
            cadence: 'P90D',
            method: 'automated',
            frameworks: [],
          },
        ],
        entities: [
          {
            entityRef: refs.payments,
            kind: 'component',
            owner: refs.teamA,
            riskTier: 1,
            controlRefs: [refs.tls],
          },
        ],
        now,
      });
      const requested = await stores.exceptions.requestException({
        input: {
          controlRef: refs.tls,
          entityRef: refs.payments,
          justification: 'Migration in progress',
          expiresAt: new Date(now.getTime() + DAY_MS).toISOString(),
        },
        requestedBy: 'user:default/alice',
        now,
      });
      await stores.exceptions.decideException({
        id: requested.id,
        decision: 'approved',
        decidedBy: 'user:default/carol',
        now,
      });

      const auditor = mockServices.auditor.mock();
      const logger = mockServices.logger.mock();
      const housekeeping = new DailyHousekeeping({
        exceptions: stores.exceptions,
        testing: stores.testing,
        auditor,
        logger,
      });

      const first = await housekeeping.run(
        new Date(now.getTime() + 2 * DAY_MS),
      );
      expect(first).toEqual({
        expiredExceptionIds: [requested.id],
        overdueTests: 0,
        untestedPairs: 1,
        overdueReviews: 0,
        neverReviewed: 1,
      });
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'exception-expire',
        severityLevel: 'medium',
        meta: { trigger: 'schedule' },
      });
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          count: 1,
          exceptions: [
            expect.objectContaining({
              id: requested.id,
              controlRef: refs.tls,
              entityRef: refs.payments,
            }),
          ],
        }),
      });
      expect(await stores.exceptions.getException(requested.id)).toMatchObject({
        status: 'expired',
      });
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining('1 exceptions expired'),
      );

      const second = await housekeeping.run(
        new Date(now.getTime() + 3 * DAY_MS),
      );
      expect(second.expiredExceptionIds).toEqual([]);
    },
  );
});
