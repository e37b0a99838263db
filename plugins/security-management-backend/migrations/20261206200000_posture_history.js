/*
 * Posture history: a daily snapshot of each entity's posture, and of the
 * sums per owner, system, domain and the whole organisation, so that a
 * trend reads at most one row per day. One row per (entity, day) and per
 * (dimension, group, day): a rerun on the same day, or a second replica,
 * updates the day's rows instead of adding rows. Days are UTC dates
 * (YYYY-MM-DD, which sort as text); instants are BIGINT epoch millis.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('posture_snapshots', table => {
    table.comment('The posture of each entity, once a day');
    table.text('day').notNullable().comment('UTC date, YYYY-MM-DD');
    table.text('entity_ref').notNullable();
    table.text('kind').notNullable();
    table.text('owner').nullable();
    table.text('system').nullable();
    table.text('domain').nullable();
    table
      .text('counts')
      .notNullable()
      .comment('JSON: applicable controls by status');
    table.text('review_status').notNullable();
    table.integer('advisories_active').notNullable();
    table.integer('advisories_overdue').notNullable();
    table.integer('score').nullable();
    table.text('grade').notNullable();
    table
      .text('source')
      .notNullable()
      .comment('snapshot (taken that day) | backfill (computed from records)');
    table.bigInteger('taken_at').notNullable();
    table.primary(['entity_ref', 'day']);
    table.index(['day'], 'posture_snapshots_day_idx');
  });

  await knex.schema.createTable('posture_snapshot_groups', table => {
    table.comment('Posture summed per group, once a day');
    table
      .text('dimension')
      .notNullable()
      .comment('organisation | owner | system | domain');
    table
      .text('group_key')
      .notNullable()
      .comment("The group's entity ref; empty for the organisation");
    table.text('day').notNullable().comment('UTC date, YYYY-MM-DD');
    table.integer('entity_count').notNullable();
    table.text('counts').notNullable().comment('JSON: controls by status');
    table.text('review').notNullable().comment('JSON: entities by status');
    table.integer('advisories_active').notNullable();
    table.integer('advisories_overdue').notNullable();
    table.text('source').notNullable();
    table.bigInteger('taken_at').notNullable();
    table.primary(['dimension', 'group_key', 'day']);
    table.index(['day'], 'posture_snapshot_groups_day_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('posture_snapshot_groups');
  await knex.schema.dropTable('posture_snapshots');
};
