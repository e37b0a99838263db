/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incidents', table => {
    table.comment('Security incidents');
    table.text('id').primary();
    table.text('title').notNullable();
    table.text('description').notNullable();
    table.text('severity').notNullable();
    table.text('status').notNullable();
    // When each phase was first reached, for time-to-contain and -resolve.
    table.bigInteger('reported_at').notNullable();
    table.bigInteger('triaged_at').nullable();
    table.bigInteger('contained_at').nullable();
    table.bigInteger('eradicated_at').nullable();
    table.bigInteger('recovered_at').nullable();
    table.bigInteger('closed_at').nullable();
    table.text('review').nullable().comment('JSON post-incident review');
    table.text('external_references').notNullable().comment('JSON array');
    table.text('created_by').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table
      .integer('version')
      .notNullable()
      .comment('Bumped by every change, for optimistic concurrency');
    table.index(['status'], 'incidents_status_idx');
    table.index(['created_at'], 'incidents_created_at_idx');
  });

  await knex.schema.createTable('incident_entities', table => {
    table
      .text('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.text('entity_ref').notNullable();
    table.primary(['incident_id', 'entity_ref']);
    table.index(['entity_ref'], 'incident_entities_entity_ref_idx');
  });

  await knex.schema.createTable('incident_controls', table => {
    table
      .text('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.text('control_ref').notNullable();
    table.primary(['incident_id', 'control_ref']);
  });

  await knex.schema.createTable('incident_timeline', table => {
    table.comment('Append-only history of each incident');
    table.bigIncrements('id');
    table
      .text('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    table.text('actor').notNullable();
    table.text('action').notNullable();
    table.text('from_status').nullable();
    table.text('to_status').nullable();
    table.text('note').nullable();
    table.text('changes').nullable().comment('JSON of what changed');
    table.index(['incident_id'], 'incident_timeline_incident_id_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_timeline');
  await knex.schema.dropTable('incident_controls');
  await knex.schema.dropTable('incident_entities');
  await knex.schema.dropTable('incidents');
};
