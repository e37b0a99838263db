/*
 * Security alerts: warnings raised by the security team or by a rule,
 * shown on the pages of the entities they affect until resolved or expired.
 * The affected entities are resolved from the catalog when an alert is
 * raised and kept, so a banner never depends on the catalog's state later.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('security_alerts', table => {
    table.comment('Security alerts raised by managers or rules');
    table.text('id').primary();
    table.text('title').notNullable();
    table.text('description').notNullable();
    table
      .text('severity')
      .notNullable()
      .comment('critical | high | medium | low');
    table.text('precautions').notNullable();
    table
      .text('scope')
      .notNullable()
      .comment('JSON { entityRefs?, filter? } as raised');
    table.integer('affected_entity_count').notNullable();
    table.bigInteger('expires_at').nullable();
    table
      .text('status')
      .notNullable()
      .comment('active | resolved; expired is computed from expires_at');
    table.text('source').notNullable().comment('manual | rule');
    table.text('rule_id').nullable();
    table
      .text('rule_key')
      .nullable()
      .unique({ indexName: 'security_alerts_rule_key_uniq' })
      .comment('Set by a rule: at most one alert per key, across replicas');
    table.text('raised_by').notNullable();
    table.bigInteger('raised_at').notNullable();
    table.text('resolved_by').nullable();
    table.bigInteger('resolved_at').nullable();
    table.text('resolution').nullable();
    table.index(['status', 'raised_at'], 'security_alerts_status_idx');
  });

  await knex.schema.createTable('security_alert_entities', table => {
    table.comment('The entities an alert affects, resolved when raised');
    table
      .text('alert_id')
      .notNullable()
      .references('id')
      .inTable('security_alerts')
      .onDelete('CASCADE');
    table.text('entity_ref').notNullable();
    table.primary(['alert_id', 'entity_ref']);
    table.index(['entity_ref'], 'security_alert_entities_entity_ref_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('security_alert_entities');
  await knex.schema.dropTable('security_alerts');
};
