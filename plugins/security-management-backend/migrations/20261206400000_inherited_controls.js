/*
 * Inherited controls: an applicability row may come from another entity
 * (a Resource the entity depends on, the System it is part of) whose tests
 * and exceptions then give its status. inherited_from names that entity;
 * null for a control that applies directly. The index finds the inheritors
 * whose counts a write on the parent makes stale.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('applicability', table => {
    table
      .text('inherited_from')
      .nullable()
      .comment(
        'Entity whose tests give the status (control inherited); null if direct',
      );
    table.index(['inherited_from'], 'applicability_inherited_from_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Inherited rows would count as untested direct ones: the next sync
  // writes them again from the catalog.
  await knex('applicability').whereNotNull('inherited_from').delete();
  await knex.schema.alterTable('applicability', table => {
    table.dropIndex(['inherited_from'], 'applicability_inherited_from_idx');
    table.dropColumn('inherited_from');
  });
};
