/*
 * What the catalog reported about controls and locations it could not
 * store: its processing-error and conflict events. An entity that fails
 * before it was ever processed (an invalid name, an unknown apiVersion, a
 * file with a YAML syntax error) and the loser of a conflict are in no
 * catalog table the catalog API serves, so these events are their only
 * record that other plugins can reach.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalog_problems', table => {
    table.comment('Catalog error and conflict events about controls');
    table
      .text('problem_key')
      .primary()
      .comment('error:<entity ref>, or conflict:<entity ref> <location>');
    table.text('type').notNullable().comment('error or conflict');
    table.text('entity_ref').notNullable().comment('As the catalog names it');
    table.text('name').nullable().comment('Title or name, when known');
    table.text('location').nullable().comment('Where the YAML is');
    table.text('origin_location').nullable();
    table
      .text('conflicting_location')
      .nullable()
      .comment('For a conflict: the location the catalog kept');
    table.text('messages').notNullable().comment('JSON list of messages');
    table.bigInteger('first_reported_at').notNullable();
    table.bigInteger('last_reported_at').notNullable();
    table.index(['type', 'last_reported_at'], 'catalog_problems_type_time');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalog_problems');
};
