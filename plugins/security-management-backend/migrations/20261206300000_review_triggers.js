/*
 * Reviews that notice change. review_facts keeps, per entity, the
 * security-relevant facts the catalog sync saw last (lifecycle, owner, risk
 * tier, tier-1 dependencies, provided APIs, as JSON) and when a change that
 * requires a review was last seen; review_triggers records each such change
 * with when it was seen. Instants are BIGINT epoch millis.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('review_facts', table => {
    table.comment('Security-relevant catalog facts per entity, as last seen');
    table.text('entity_ref').primary();
    table.text('facts').notNullable().comment('JSON, compared as text');
    table
      .bigInteger('changed_at')
      .nullable()
      .comment('When the latest change that requires a review was seen');
    table.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('review_triggers', table => {
    table.comment('Catalog changes that require a review, as seen');
    table.bigIncrements('id');
    table.text('entity_ref').notNullable();
    table
      .text('trigger')
      .notNullable()
      .comment(
        'lifecycle-production | owner-changed | tier1-dependency | provided-api | risk-tier-raised',
      );
    table.text('detail').notNullable();
    table.bigInteger('seen_at').notNullable();
    table.index(['entity_ref', 'seen_at'], 'review_triggers_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('review_triggers');
  await knex.schema.dropTable('review_facts');
};
