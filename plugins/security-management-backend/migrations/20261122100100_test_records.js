/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('test_records', table => {
    table.comment('Append-only results of security tests');
    table.text('id').primary();
    table.text('control_ref').notNullable();
    table.text('entity_ref').notNullable();
    table.text('result').notNullable().comment('pass | fail | partial | error');
    table.bigInteger('tested_at').notNullable();
    table.text('tester').notNullable();
    table.text('method').notNullable();
    table.text('evidence_url').nullable();
    table.text('notes').nullable();
    table
      .text('external_id')
      .nullable()
      .unique({ indexName: 'test_records_external_id_uq' })
      .comment('Caller-chosen id that makes a retried post idempotent');
    table.bigInteger('recorded_at').notNullable();
    table.index(
      ['entity_ref', 'control_ref', 'tested_at'],
      'test_records_pair_tested_at_idx',
    );
    table.index(['control_ref', 'tested_at'], 'test_records_control_idx');
  });

  await knex.schema.createTable('latest_tests', table => {
    table.comment(
      'The latest test record of each entity and control, kept in step with test_records',
    );
    table.text('entity_ref').notNullable();
    table.text('control_ref').notNullable();
    table.text('record_id').notNullable();
    table.text('result').notNullable();
    table.bigInteger('tested_at').notNullable();
    table
      .bigInteger('due_at')
      .nullable()
      .comment('tested_at plus the control cadence; null while unknown');
    table.text('evidence_url').nullable();
    table.primary(['entity_ref', 'control_ref']);
    table.index(['control_ref'], 'latest_tests_control_ref_idx');
    table.index(['due_at'], 'latest_tests_due_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('latest_tests');
  await knex.schema.dropTable('test_records');
};
