import { mockServices } from '@backstage/backend-test-utils';
import { DatabaseCatalogProblemStore } from './DatabaseCatalogProblemStore';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const FUTURE = 'securitycontrol:default/future';
const DUP = 'securitycontrol:default/dup';
const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 0, minute, 0, 0));

describe('DatabaseCatalogProblemStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return DatabaseCatalogProblemStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
  }

  it.each(databases.eachSupportedId())(
    'keeps the latest report of an error and one conflict per losing location, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.recordCatalogProblem({
        type: 'error',
        entityRef: FUTURE,
        location: 'file:/a.yaml',
        messages: ['first'],
        reportedAt: at(0),
      });
      await store.recordCatalogProblem({
        type: 'error',
        entityRef: FUTURE,
        location: 'file:/b.yaml',
        messages: ['second', 'third'],
        reportedAt: at(5),
      });
      for (const location of ['file:/c.yaml', 'file:/d.yaml']) {
        await store.recordCatalogProblem({
          type: 'conflict',
          entityRef: DUP,
          name: 'Duplicate',
          location,
          originLocation: 'file:/origin.yaml',
          conflictingLocation: 'file:/kept.yaml',
          messages: [],
          reportedAt: at(1),
        });
      }

      expect(await store.listCatalogProblems()).toEqual([
        {
          type: 'conflict',
          entityRef: DUP,
          name: 'Duplicate',
          location: 'file:/c.yaml',
          originLocation: 'file:/origin.yaml',
          conflictingLocation: 'file:/kept.yaml',
          messages: [],
          reportedAt: at(1),
        },
        expect.objectContaining({ type: 'conflict', location: 'file:/d.yaml' }),
        {
          type: 'error',
          entityRef: FUTURE,
          name: undefined,
          location: 'file:/b.yaml',
          originLocation: undefined,
          conflictingLocation: undefined,
          messages: ['second', 'third'],
          reportedAt: at(5),
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets errors not reported since a time, and the named conflicts, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      for (const [entityRef, minute] of [
        ['securitycontrol:default/old', 0],
        ['securitycontrol:default/new', 10],
      ] as const) {
        await store.recordCatalogProblem({
          type: 'error',
          entityRef,
          messages: ['x'],
          reportedAt: at(minute),
        });
      }
      for (const location of ['file:/c.yaml', 'file:/d.yaml']) {
        await store.recordCatalogProblem({
          type: 'conflict',
          entityRef: DUP,
          location,
          messages: [],
          reportedAt: at(0),
        });
      }

      const forgotten = await store.forgetCatalogProblems({
        errorsReportedBefore: at(5),
        conflicts: [{ entityRef: DUP, location: 'file:/c.yaml' }],
      });

      expect(forgotten).toBe(2);
      expect(
        (await store.listCatalogProblems()).map(p => [p.entityRef, p.location]),
      ).toEqual([
        [DUP, 'file:/d.yaml'],
        ['securitycontrol:default/new', undefined],
      ]);
    },
  );
});
