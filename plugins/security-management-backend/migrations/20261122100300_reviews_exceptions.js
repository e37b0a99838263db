/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('reviews', table => {
    table.comment('Periodic security reviews of entities');
    table.text('id').primary();
    table.text('entity_ref').notNullable();
    table.text('reviewer').notNullable();
    table.text('outcome').notNullable();
    table.text('findings').notNullable();
    table.text('conditions').notNullable().comment('JSON array of strings');
    table.bigInteger('reviewed_at').notNullable();
    table.bigInteger('next_due_at').notNullable();
    table.index(['entity_ref', 'reviewed_at'], 'reviews_entity_idx');
  });

  await knex.schema.createTable('exceptions', table => {
    table.comment('Risk acceptances for one control on one entity');
    table.text('id').primary();
    table.text('control_ref').notNullable();
    table.text('entity_ref').notNullable();
    table.text('justification').notNullable();
    table
      .text('status')
      .notNullable()
      .comment('requested | approved | rejected | expired');
    table.text('requested_by').notNullable();
    table.bigInteger('requested_at').notNullable();
    table.text('decided_by').nullable();
    table.bigInteger('decided_at').nullable();
    table.text('decision_note').nullable();
    table.bigInteger('expires_at').notNullable();
    table.index(
      ['entity_ref', 'control_ref', 'status'],
      'exceptions_pair_status_idx',
    );
    table.index(['status', 'expires_at'], 'exceptions_status_expiry_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('exceptions');
  await knex.schema.dropTable('reviews');
};
