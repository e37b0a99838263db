/*
 * Frameworks: the SecurityRequirement entities of the catalog (imported
 * from OSCAL) as the scheduled sync last read them, and the outcome of each
 * OSCAL import run as the catalog module reported it on the events system.
 * Instants are BIGINT epoch millis.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('framework_requirements', table => {
    table.comment('SecurityRequirement entities as last read from the catalog');
    table.text('requirement_ref').primary();
    table.text('framework').notNullable();
    table.text('framework_title').notNullable();
    table.text('control_id').notNullable();
    table.text('label').notNullable();
    table
      .text('id_key')
      .notNullable()
      .comment(
        'requirementRefKey of control_id, which mappings are matched on',
      );
    table.text('label_key').notNullable().comment('requirementRefKey of label');
    table.text('title').nullable();
    table.text('family').nullable();
    table
      .text('parent')
      .nullable()
      .comment('control_id of the enhanced control');
    table.text('import_id').nullable().comment('The OSCAL import it came from');
    table.bigInteger('synced_at').notNullable();
    table.index(['framework'], 'framework_requirements_framework_idx');
  });

  await knex.schema.createTable('framework_imports', table => {
    table.comment('The last run of each OSCAL import, from its events');
    table.text('import_id').primary();
    table.text('framework').notNullable();
    table.text('target').notNullable();
    table.text('last_outcome').notNullable().comment('imported | failed');
    table.bigInteger('last_run_at').notNullable();
    table.bigInteger('last_imported_at').nullable();
    table.integer('requirement_count').nullable();
    table.text('message').nullable().comment('Why the last run failed');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('framework_imports');
  await knex.schema.dropTable('framework_requirements');
};
