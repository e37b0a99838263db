import { mockServices } from '@backstage/backend-test-utils';
import { createSecurityStores } from './SecurityStores';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

describe('createSecurityStores', () => {
  const databases = createTestDatabases();

  describe('migrations.skip', () => {
    it.each(databases.eachSupportedId())(
      'does not migrate when told to skip, %p',
      async databaseId => {
        const knex = await databases.init(databaseId);
        await createSecurityStores({
          database: mockServices.database.mock({
            getClient: async () => knex,
            migrations: { skip: true },
          }),
        });
        expect(await knex.schema.hasTable('controls')).toBe(false);
      },
    );
  });

  it.each(databases.eachSupportedId())(
    'migrates once and builds every store on one client, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database.mock({
        getClient: async () => knex,
      });
      // Each run of the migrations takes their lock: is_locked set to 1.
      const lockTaken = jest.fn();
      knex.on('query', (query: { sql: string; bindings?: unknown[] }) => {
        if (
          /^update\b.*knex_migrations_lock/i.test(query.sql) &&
          query.bindings?.[0] === 1
        ) {
          lockTaken();
        }
      });
      const stores = await createSecurityStores({ database });
      expect(Object.keys(stores).sort()).toEqual([
        'applicability',
        'catalogProblems',
        'exceptions',
        'incidents',
        'posture',
        'reviews',
        'testing',
      ]);
      expect(database.getClient).toHaveBeenCalledTimes(1);
      expect(lockTaken).toHaveBeenCalledTimes(1);
      expect(await knex.schema.hasTable('controls')).toBe(true);
    },
  );
});
