/*
 * Security events and what the correlation rules made of them. Each event is
 * stored once (its key is unique), each rule's hit on it once, so retries
 * and several replicas never count an event twice. A rule's state per
 * fingerprint is one row, locked while its events are weighed, so that two
 * replicas never open two incidents for the same fingerprint.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('security_events', table => {
    table.comment('Security events received for correlation');
    table
      .text('event_key')
      .primary()
      .comment("id:<topic>:<the event's id>, or sha256:<hash of topic + JSON>");
    table.text('topic').notNullable();
    table.text('payload').notNullable().comment('The event as JSON');
    table.bigInteger('occurred_at').notNullable();
    table.bigInteger('received_at').notNullable();
    table.text('received_from').notNullable().comment('Principal or events');
    table.index(['received_at'], 'security_events_received_at_idx');
  });

  await knex.schema.createTable('security_event_hits', table => {
    table.comment('Events that passed a rule filter, by fingerprint');
    table.text('rule_id').notNullable();
    table.text('fingerprint').notNullable().comment('SHA-256 of the values');
    table
      .text('event_key')
      .notNullable()
      .references('event_key')
      .inTable('security_events')
      .onDelete('CASCADE');
    table.bigInteger('occurred_at').notNullable();
    table
      .text('incident_id')
      .nullable()
      .comment('The incident the event was attached to');
    table.primary(['rule_id', 'fingerprint', 'event_key']);
    table.index(
      ['rule_id', 'fingerprint', 'occurred_at'],
      'security_event_hits_window_idx',
    );
    table.index(['event_key'], 'security_event_hits_event_idx');
    table.index(['incident_id'], 'security_event_hits_incident_idx');
  });

  await knex.schema.createTable('security_event_skips', table => {
    table.comment('Events that passed a rule filter but could not be grouped');
    table.text('rule_id').notNullable();
    table
      .text('event_key')
      .notNullable()
      .references('event_key')
      .inTable('security_events')
      .onDelete('CASCADE');
    table
      .text('reason')
      .notNullable()
      .comment('missing-fields, unknown-entity');
    table.primary(['rule_id', 'event_key']);
    table.index(['event_key'], 'security_event_skips_event_idx');
  });

  await knex.schema.createTable('correlation_state', table => {
    table.comment('Per rule and fingerprint: the incident events join');
    table.text('rule_id').notNullable();
    table.text('fingerprint').notNullable();
    table.text('incident_id').nullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['rule_id', 'fingerprint']);
  });

  await knex.schema.createTable('correlation_firings', table => {
    table.comment('Incidents opened by correlation rules');
    table.text('id').primary();
    table.text('rule_id').notNullable();
    table.text('fingerprint').notNullable();
    table.text('fingerprint_values').notNullable().comment('JSON object');
    table.text('entity_ref').notNullable();
    table.text('incident_id').notNullable().unique();
    table.integer('event_count').notNullable();
    table.bigInteger('fired_at').notNullable();
    table.bigInteger('last_event_at').notNullable();
    table.index(['rule_id', 'fired_at'], 'correlation_firings_rule_idx');
    table.index(['fired_at'], 'correlation_firings_fired_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('correlation_firings');
  await knex.schema.dropTable('correlation_state');
  await knex.schema.dropTable('security_event_skips');
  await knex.schema.dropTable('security_event_hits');
  await knex.schema.dropTable('security_events');
};
