import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

/**
 * TestDatabases whose clients are closed after each test. Every init makes
 * a fresh database with its own pool, and TestDatabases keeps them all open
 * until the file ends: a file of forty PostgreSQL tests held forty idle
 * connections on a server shared with other work. Only for tests that init
 * their databases inside each test.
 */
export function createTestDatabases(
  options?: Parameters<typeof TestDatabases.create>[0],
): TestDatabases {
  const databases = TestDatabases.create(options);
  const opened: Knex[] = [];
  const init = databases.init.bind(databases);
  databases.init = async id => {
    const knex = await init(id);
    opened.push(knex);
    return knex;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map(knex => knex.destroy()));
  });
  return databases;
}
