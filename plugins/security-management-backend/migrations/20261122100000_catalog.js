/*
 * Controls, entities and which controls apply to which entities: a snapshot
 * of the catalog, so posture can be computed in SQL without reading the
 * catalog at request time. Every instant is a BIGINT of epoch milliseconds,
 * which compares the same way on SQLite and PostgreSQL.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('controls', table => {
    table.comment('SecurityControl entities of the catalog');
    table.text('control_ref').primary().comment('Entity ref of the control');
    table.text('title').notNullable();
    table.text('description').nullable();
    table.text('owner').notNullable().comment('Entity ref of the owner group');
    table.text('category').notNullable();
    table.text('criticality').notNullable();
    table.text('cadence').notNullable().comment('ISO-8601 test cadence');
    table.text('method').notNullable().comment('Default test method');
    table.text('procedure').nullable();
    table.text('frameworks').notNullable().comment('JSON framework mappings');
    table.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('entities', table => {
    table.comment('Catalog entities that security posture is computed for');
    table.text('entity_ref').primary();
    table.text('kind').notNullable();
    table.text('title').nullable();
    table.text('owner').nullable();
    table.text('system').nullable();
    table.text('domain').nullable();
    table.integer('risk_tier').notNullable();
    table
      .bigInteger('removed_at')
      .nullable()
      .comment('When the entity left the catalog; its history is kept');
    table.bigInteger('updated_at').notNullable();
    table.index(['owner'], 'entities_owner_idx');
    table.index(['system'], 'entities_system_idx');
    table.index(['domain'], 'entities_domain_idx');
  });

  await knex.schema.createTable('applicability', table => {
    table.comment('Which controls apply to which entities');
    table
      .text('entity_ref')
      .notNullable()
      .references('entity_ref')
      .inTable('entities')
      .onDelete('CASCADE');
    table
      .text('control_ref')
      .notNullable()
      .references('control_ref')
      .inTable('controls')
      .onDelete('CASCADE');
    table.primary(['entity_ref', 'control_ref']);
    table.index(['control_ref'], 'applicability_control_ref_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('applicability');
  await knex.schema.dropTable('entities');
  await knex.schema.dropTable('controls');
};
