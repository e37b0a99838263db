/*
 * Each entity's counts of control statuses, kept so that roll-ups sum one
 * row per entity instead of computing the status of every applicable pair.
 * A row is trusted only while counted_version = version (every write that
 * can change the counts bumps version in its own transaction) and
 * valid_from <= now < valid_until (the instants around its computation at
 * which a status changes by time alone: a due date or an exception expiry).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('posture_counts', table => {
    table.comment('Per-entity counts of control statuses, recomputed on read');
    table.text('entity_ref').primary();
    table.integer('passing').notNullable().defaultTo(0);
    table.integer('failing').notNullable().defaultTo(0);
    table.integer('overdue').notNullable().defaultTo(0);
    table.integer('untested').notNullable().defaultTo(0);
    table.integer('excepted').notNullable().defaultTo(0);
    table
      .bigInteger('valid_from')
      .nullable()
      .comment('Latest status change by time at or before the computation');
    table
      .bigInteger('valid_until')
      .nullable()
      .comment('Earliest status change by time after the computation');
    table
      .bigInteger('version')
      .notNullable()
      .defaultTo(0)
      .comment('Bumped by every write that can change the counts');
    table
      .bigInteger('counted_version')
      .nullable()
      .comment('The version the counts were computed at; null if never');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('posture_counts');
};
