/*
 * Of several tests of one entity and control at the same tested-at, the
 * latest is the one recorded last, then the one with the greatest id: the
 * order in which the test history lists them. latest_tests keeps the
 * recorded-at of its test to compare with, and rows that an earlier rule
 * chose differently are moved to that test.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('latest_tests', table => {
    table
      .bigInteger('recorded_at')
      .nullable()
      .comment(
        'recorded_at of the test; after tested_at, what makes it the latest',
      );
  });
  const tied = `FROM test_records r
      WHERE r.entity_ref = latest_tests.entity_ref
        AND r.control_ref = latest_tests.control_ref
        AND r.tested_at = latest_tests.tested_at`;
  await knex.raw(`
    UPDATE latest_tests SET record_id = (
      SELECT r.id ${tied}
      ORDER BY r.recorded_at DESC, r.id DESC
      LIMIT 1
    )
    WHERE EXISTS (SELECT 1 ${tied})`);
  const ofRecord = column => `(
      SELECT r.${column} FROM test_records r WHERE r.id = latest_tests.record_id
    )`;
  await knex.raw(`
    UPDATE latest_tests SET
      result = ${ofRecord('result')},
      evidence_url = ${ofRecord('evidence_url')},
      recorded_at = ${ofRecord('recorded_at')}
    WHERE EXISTS (SELECT 1 FROM test_records r WHERE r.id = latest_tests.record_id)`);
  // A latest test that changed may change a status: recount every entity.
  await knex('posture_counts').update({
    version: knex.raw('?? + 1', ['version']),
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('latest_tests', table => {
    table.dropColumn('recorded_at');
  });
};
