/*
 * Notifications delivered to owners, so each is sent once across replicas
 * and retries: a row is claimed (inserted) before the notification is sent,
 * and the primary key refuses a second claim of the same recipient, topic
 * and key (a day for the digest, an incident timeline entry, an alert, a
 * campaign's step). Instants are BIGINT epoch millis.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('notification_deliveries', table => {
    table.comment('Notifications claimed and sent to owners, once each');
    table.text('recipient').notNullable().comment('Entity ref of the owner');
    table.text('topic').notNullable();
    table
      .text('delivery_key')
      .notNullable()
      .comment(
        'digest:<day>, incident-timeline:<id>, alert:<id>, or a caller key',
      );
    table.bigInteger('claimed_at').notNullable();
    table
      .bigInteger('sent_at')
      .nullable()
      .comment('Null while being sent, or if the replica died meanwhile');
    table.primary(['recipient', 'topic', 'delivery_key']);
    table.index(['claimed_at'], 'notification_deliveries_claimed_at_idx');
  });
  // The notifier reads the incident changes of the last hour.
  await knex.schema.alterTable('incident_timeline', table => {
    table.index(['at'], 'incident_timeline_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_timeline', table => {
    table.dropIndex(['at'], 'incident_timeline_at_idx');
  });
  await knex.schema.dropTable('notification_deliveries');
};
