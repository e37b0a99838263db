import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@open-itsm/plugin-security-management-backend',
  'migrations',
);

const clients = new WeakMap<DatabaseService, Promise<Knex>>();

/**
 * The plugin's knex client, with the migrations run unless
 * `migrations.skip`. Every store's `create` comes here: the migrations run
 * once per database service, and all stores share its one client, so a
 * write that touches several stores' tables can run in one transaction.
 */
export function connectSecurityDatabase(
  database: DatabaseService,
): Promise<Knex> {
  let client = clients.get(database);
  if (!client) {
    client = (async () => {
      const knex = await database.getClient();
      if (!database.migrations?.skip) {
        await knex.migrate.latest({ directory: migrationsDir });
      }
      return knex;
    })();
    clients.set(database, client);
  }
  return client;
}
