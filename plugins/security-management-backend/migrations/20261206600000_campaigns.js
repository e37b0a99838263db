/*
 * Campaigns: a time-bound push on controls and advisories over a scope of
 * entities kept as it was resolved at the start, the notices sent to their
 * owners (each once across replicas) and, once archived, the frozen result.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('campaigns', table => {
    table.comment('Time-bound pushes on controls and advisories');
    table.text('id').primary();
    table.text('name').notNullable();
    table.text('goal').notNullable();
    table.text('scope').notNullable().comment('JSON: entityRefs and filter');
    table.integer('entity_count').notNullable();
    table.bigInteger('deadline_at').notNullable();
    table.text('started_by').notNullable();
    table.bigInteger('started_at').notNullable();
    table.text('closed_by').nullable().comment('Who closed it early');
    table.bigInteger('archived_at').nullable();
    table.text('result').nullable().comment('JSON: frozen progress');
    table.index(['archived_at', 'deadline_at'], 'campaigns_archived_idx');
  });

  await knex.schema.createTable('campaign_items', table => {
    table.comment('The controls and advisories of a campaign');
    table
      .text('campaign_id')
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE');
    table.text('kind').notNullable().comment('control or advisory');
    table.text('item_ref').notNullable().comment('Control ref or advisory id');
    table.primary(['campaign_id', 'kind', 'item_ref']);
  });

  await knex.schema.createTable('campaign_entities', table => {
    table.comment('The entities in scope of a campaign, as resolved at start');
    table
      .text('campaign_id')
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE');
    table.text('entity_ref').notNullable();
    table.primary(['campaign_id', 'entity_ref']);
    table.index(['entity_ref'], 'campaign_entities_entity_idx');
  });

  await knex.schema.createTable('campaign_notices', table => {
    table.comment('Notices sent to owners; the key makes each one once');
    table
      .text('campaign_id')
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE');
    table.text('notice').notNullable().comment('started, due-soon or missed');
    table.bigInteger('sent_at').notNullable();
    table.primary(['campaign_id', 'notice']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('campaign_notices');
  await knex.schema.dropTable('campaign_entities');
  await knex.schema.dropTable('campaign_items');
  await knex.schema.dropTable('campaigns');
};
