import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';

const migrationsDir = `${__dirname}/../../migrations`;
const MIGRATION = '20261130100000_latest_tests_recorded_at.js';

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

function testRecord(id: string, result: string, recordedAt: number) {
  return {
    id,
    control_ref: 'securitycontrol:default/tls',
    entity_ref: 'component:default/shop',
    result,
    tested_at: 1767225600000,
    tester: 'user:default/jane',
    method: 'automated',
    evidence_url: `https://ci.example.com/${id}`,
    notes: null,
    external_id: null,
    recorded_at: recordedAt,
  };
}

describe('migration 20261130100000_latest_tests_recorded_at', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'moves a latest test chosen by insert order to the last recorded of its tested-at, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpTo(knex);
      // Two results at one tested-at; the old rule kept the first stored.
      await knex('test_records').insert([
        testRecord('r1', 'pass', 1767225600000),
        testRecord('r2', 'fail', 1767225700000),
      ]);
      await knex('latest_tests').insert({
        entity_ref: 'component:default/shop',
        control_ref: 'securitycontrol:default/tls',
        record_id: 'r1',
        result: 'pass',
        tested_at: 1767225600000,
        due_at: 1774972800000,
        evidence_url: 'https://ci.example.com/r1',
      });
      await knex('posture_counts').insert({
        entity_ref: 'component:default/shop',
        passing: 1,
        version: 3,
        counted_version: 3,
      });

      await knex.migrate.up({ directory: migrationsDir });

      const latest = await knex('latest_tests').first();
      expect({
        ...latest,
        recorded_at: Number(latest.recorded_at),
        tested_at: Number(latest.tested_at),
        due_at: Number(latest.due_at),
      }).toEqual({
        entity_ref: 'component:default/shop',
        control_ref: 'securitycontrol:default/tls',
        record_id: 'r2',
        result: 'fail',
        tested_at: 1767225600000,
        recorded_at: 1767225700000,
        due_at: 1774972800000,
        evidence_url: 'https://ci.example.com/r2',
      });
      // The cached counts are no longer trusted.
      const counts = await knex('posture_counts').first();
      expect(Number(counts.version)).toBe(4);
      expect(Number(counts.counted_version)).toBe(3);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasColumn('latest_tests', 'recorded_at')).toBe(
        false,
      );
      const kept = await knex('latest_tests').count({ count: '*' }).first();
      expect(Number(kept?.count)).toBe(1);
    },
  );
});
