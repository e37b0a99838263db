/*
 * Review conditions tracked until met: one row per condition of a review
 * (its index in reviews.conditions, the JSON array that stays the review's
 * record), open until someone marks it met or waived with a note. Filled
 * from the conditions of the reviews already recorded, all open: nothing
 * says they were met. Instants are BIGINT epoch millis.
 */

const BATCH = 500;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('review_conditions', table => {
    table.comment('Conditions of reviews, tracked until met or waived');
    table
      .text('review_id')
      .notNullable()
      .references('id')
      .inTable('reviews')
      .onDelete('CASCADE');
    table
      .integer('position')
      .notNullable()
      .comment('Index in reviews.conditions, from 0');
    table.text('text').notNullable();
    table.text('status').notNullable().comment('open | met | waived');
    table.bigInteger('met_at').nullable().comment('When met or waived');
    table.text('met_by').nullable().comment('Who marked it met or waived');
    table.text('note').nullable();
    table.primary(['review_id', 'position']);
    table.index(['status', 'review_id'], 'review_conditions_status_idx');
  });

  // Keyset pagination over the reviews that have conditions.
  let after = '';
  for (;;) {
    const reviews = await knex('reviews')
      .select('id', 'conditions')
      .where('id', '>', after)
      .whereNot('conditions', '[]')
      .orderBy('id')
      .limit(BATCH);
    if (reviews.length === 0) break;
    const rows = reviews.flatMap(review =>
      JSON.parse(review.conditions).map((text, position) => ({
        review_id: review.id,
        position,
        text,
        status: 'open',
      })),
    );
    // 100 rows of 4 values stay under SQLite's limit on bound values.
    for (let i = 0; i < rows.length; i += 100) {
      await knex('review_conditions').insert(rows.slice(i, i + 100));
    }
    after = reviews[reviews.length - 1].id;
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('review_conditions');
};
