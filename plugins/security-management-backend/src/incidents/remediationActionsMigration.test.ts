import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';

const migrationsDir = `${__dirname}/../../migrations`;
const MIGRATION = '20261206500000_remediation_actions.js';

jest.setTimeout(60_000);

/** Runs the migrations before MIGRATION, one at a time. */
async function migrateUpTo(knex: Knex) {
  for (;;) {
    const [, pending] = await knex.migrate.list({ directory: migrationsDir });
    if (pending.length === 0) throw new Error(`${MIGRATION} not found`);
    if (pending[0].file === MIGRATION) return;
    await knex.migrate.up({ directory: migrationsDir });
  }
}

function incident(id: string, review: unknown) {
  return {
    id,
    title: `Incident ${id}`,
    description: '',
    severity: 'high',
    status: 'closed',
    reported_at: 1767225600000,
    closed_at: 1767225700000,
    review: review === null ? null : JSON.stringify(review),
    external_references: '[]',
    created_by: 'user:default/jane',
    created_at: 1767225600000,
    updated_at: 1767225800000,
    version: 3,
  };
}

describe('migration 20261206500000_remediation_actions', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'moves the plain-text actions of earlier reviews to open actions, and back down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpTo(knex);
      const before = {
        rootCause: 'Key in git',
        lessons: 'Scan commits',
        remediationActions: ['Add secret scanning', 'Rotate keys'],
      };
      await knex('incidents').insert([
        incident('i1', before),
        incident('i2', null),
      ]);

      await knex.migrate.up({ directory: migrationsDir });
      const rows = await knex('remediation_actions').orderBy('position');
      expect(
        rows.map(row => ({
          ...row,
          updated_at: Number(row.updated_at),
        })),
      ).toEqual([
        {
          id: 'i1-0',
          incident_id: 'i1',
          position: 0,
          title: 'Add secret scanning',
          owner: null,
          due_at: null,
          status: 'open',
          updated_at: 1767225800000,
          updated_by: 'user:default/jane',
        },
        expect.objectContaining({ id: 'i1-1', title: 'Rotate keys' }),
      ]);
      const migrated = await knex('incidents').where('id', 'i1').first();
      expect(JSON.parse(migrated.review)).toEqual({
        rootCause: 'Key in git',
        lessons: 'Scan commits',
      });
      expect(
        (await knex('incidents').where('id', 'i2').first()).review,
      ).toBeNull();

      await knex.migrate.down({ directory: migrationsDir });
      const restored = await knex('incidents').where('id', 'i1').first();
      expect(JSON.parse(restored.review)).toEqual(before);
    },
  );
});
