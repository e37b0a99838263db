/*
 * Security advisories: the state of each feed, the advisories it holds,
 * where each entity's components come from, and one finding per advisory
 * and affected entity with its lifecycle and the reasons it matches.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('advisory_feeds', table => {
    table.comment('Configured advisory feeds and their last read');
    table.text('feed_id').primary();
    table.text('type').notNullable().comment('osv or kev');
    table.text('target').notNullable();
    table.text('status').notNullable().comment('ok, error or never-read');
    table.bigInteger('last_attempt_at').nullable();
    table.bigInteger('last_success_at').nullable();
    table.text('error').nullable().comment('Why the last attempt failed');
    table.text('warnings').notNullable().comment('JSON array of strings');
    table.integer('advisory_count').notNullable();
    table
      .text('content_digest')
      .nullable()
      .comment('SHA-256 of the advisories stored: changes only with them');
  });

  await knex.schema.createTable('advisories', table => {
    table.comment('Advisories of the feeds; a feed replaces its own at once');
    table.text('advisory_id').primary();
    table.text('feed_id').notNullable();
    table.text('source').notNullable().comment('osv or kev');
    table.text('summary').notNullable();
    table.text('details').nullable();
    table.text('severity').notNullable();
    table.text('aliases').notNullable().comment('JSON array');
    table.bigInteger('published_at').nullable();
    table.bigInteger('modified_at').nullable();
    table.bigInteger('withdrawn_at').nullable();
    table.text('references').notNullable().comment('JSON array of URLs');
    table.text('affected').notNullable().comment('JSON affected packages');
    table.text('kev').nullable().comment('JSON: CISA KEV entry');
    table.index(['feed_id'], 'advisories_feed_idx');
  });

  await knex.schema.createTable('advisory_component_sources', table => {
    table.comment(
      'Where the components of an entity come from, and whether they could be read',
    );
    table.text('entity_ref').notNullable();
    table.text('kind').notNullable().comment('sbom, purl or kev-product');
    table.text('location').notNullable();
    table.text('status').notNullable().comment('ok or error');
    table.text('error').nullable();
    table.text('warnings').notNullable().comment('JSON array of strings');
    table.integer('component_count').notNullable();
    table.bigInteger('read_at').notNullable();
    table.primary(['entity_ref', 'kind']);
    table.index(['status'], 'advisory_component_sources_status_idx');
  });

  await knex.schema.createTable('advisory_findings', table => {
    table.comment('One advisory on one affected entity, with its lifecycle');
    table.text('id').primary();
    table.text('entity_ref').notNullable();
    table.text('entity_title').nullable();
    table.text('owner').nullable();
    table.text('advisory_id').notNullable();
    table.text('severity').notNullable().comment('Copied for filters');
    table
      .boolean('known_exploited')
      .notNullable()
      .comment('Copied for filters');
    table
      .text('kev')
      .nullable()
      .comment('JSON: the CISA KEV entry, directly or by alias');
    table.text('status').notNullable();
    table.text('justification').nullable().comment('VEX, for not-affected');
    table.text('note').nullable();
    table.bigInteger('due_at').notNullable();
    table.text('matches').notNullable().comment('JSON: why it matches now');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.text('updated_by').nullable();
    table.bigInteger('resolved_at').nullable();
    table.unique(['entity_ref', 'advisory_id'], {
      indexName: 'advisory_findings_entity_advisory_uq',
    });
    table.index(['status', 'due_at'], 'advisory_findings_status_due_idx');
    table.index(['owner'], 'advisory_findings_owner_idx');
    table.index(['advisory_id'], 'advisory_findings_advisory_idx');
  });

  await knex.schema.createTable('advisory_finding_events', table => {
    table.comment('Every change of status of a finding, append-only');
    table.increments('id');
    table.text('finding_id').notNullable();
    table.bigInteger('at').notNullable();
    table.text('actor').notNullable();
    table.text('from_status').nullable();
    table.text('to_status').notNullable();
    table.text('justification').nullable();
    table.text('note').nullable();
    table.index(['finding_id'], 'advisory_finding_events_finding_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('advisory_finding_events');
  await knex.schema.dropTable('advisory_findings');
  await knex.schema.dropTable('advisory_component_sources');
  await knex.schema.dropTable('advisories');
  await knex.schema.dropTable('advisory_feeds');
};
