/*
 * Security policies as code: the valid SecurityPolicy entities of the
 * catalog, their statements and the controls each statement names, as the
 * scheduled policy sync last read them. The catalog is the source; these
 * tables are its snapshot, replaced on every sync.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('security_policies', table => {
    table.comment('SecurityPolicy entities as last read from the catalog');
    table.text('policy_ref').primary();
    table.text('title').notNullable();
    table.text('description').nullable();
    table.text('owner').notNullable();
    table.text('version').notNullable();
    table.text('status').notNullable().comment('draft | approved | retired');
    table.text('approver').nullable();
    table.bigInteger('approved_at').nullable();
    table.text('review_cadence').notNullable().comment('ISO-8601 duration');
    table
      .bigInteger('next_review_at')
      .nullable()
      .comment('The stated next review, or the approval plus the cadence');
    table.text('parent_ref').nullable().comment('As the policy states it');
    table.bigInteger('synced_at').notNullable();
    table.index(['status', 'next_review_at'], 'security_policies_review_idx');
  });

  await knex.schema.createTable('security_policy_statements', table => {
    table.comment('The statements of each policy, in their order');
    table
      .text('policy_ref')
      .notNullable()
      .references('policy_ref')
      .inTable('security_policies')
      .onDelete('CASCADE');
    table.text('statement_id').notNullable();
    table.integer('position').notNullable();
    table.text('title').nullable();
    table.text('text').notNullable();
    table.primary(['policy_ref', 'statement_id']);
  });

  await knex.schema.createTable('security_policy_controls', table => {
    table.comment('The controls each statement names, in their order');
    table.text('policy_ref').notNullable();
    table.text('statement_id').notNullable();
    table.text('control_ref').notNullable();
    table.integer('position').notNullable();
    table.primary(['policy_ref', 'statement_id', 'control_ref']);
    table
      .foreign(['policy_ref', 'statement_id'])
      .references(['policy_ref', 'statement_id'])
      .inTable('security_policy_statements')
      .onDelete('CASCADE');
    table.index(['control_ref'], 'security_policy_controls_control_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('security_policy_controls');
  await knex.schema.dropTable('security_policy_statements');
  await knex.schema.dropTable('security_policies');
};
