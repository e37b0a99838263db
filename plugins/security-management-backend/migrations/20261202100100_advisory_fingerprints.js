/*
 * What each entity's components were when they were last matched, so that a
 * cycle skips the entities whose SBOM, annotations and advisories have not
 * changed.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('advisory_entity_fingerprints', table => {
    table.comment('A digest of what each entity was last matched with');
    table.text('entity_ref').primary();
    table
      .text('fingerprint')
      .notNullable()
      .comment('SHA-256 of the SBOM, the annotations and the advisory index');
    table.bigInteger('matched_at').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('advisory_entity_fingerprints');
};
