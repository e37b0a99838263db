/*
 * Post-incident reviews that feed back: the remediation actions of a
 * review become rows with an owner, a due date and a status, so that the
 * Security tab and the testing schedule can list them by entity, owner and
 * due date; the review's JSON keeps the root cause and lessons. Actions
 * recorded before (plain text in the JSON) move over as open actions
 * without owner or due date: nothing says who owns them or when they are
 * due. Instants are BIGINT epoch millis.
 */

const BATCH = 500;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('remediation_actions', table => {
    table.comment('Remediation actions of post-incident reviews');
    table.text('id').primary();
    table
      .text('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.integer('position').notNullable().comment('Order in the review');
    table.text('title').notNullable();
    table.text('owner').nullable().comment('Group or user ref');
    table.bigInteger('due_at').nullable();
    table
      .text('status')
      .notNullable()
      .comment('open | in-progress | done | cancelled');
    table.bigInteger('updated_at').notNullable();
    table.text('updated_by').notNullable();
    table.index(['incident_id'], 'remediation_actions_incident_idx');
    table.index(['owner', 'due_at'], 'remediation_actions_owner_idx');
    table.index(['status', 'due_at'], 'remediation_actions_status_idx');
  });
  // Keyset pagination over the incidents with a review.
  let after = '';
  for (;;) {
    const incidents = await knex('incidents')
      .select('id', 'review', 'updated_at', 'created_by')
      .where('id', '>', after)
      .whereNotNull('review')
      .orderBy('id')
      .limit(BATCH);
    if (incidents.length === 0) break;
    for (const incident of incidents) {
      const review = JSON.parse(incident.review);
      const actions = Array.isArray(review.remediationActions)
        ? review.remediationActions
        : [];
      const rows = actions.map((title, position) => ({
        id: `${incident.id}-${position}`,
        incident_id: incident.id,
        position,
        title: String(title),
        owner: null,
        due_at: null,
        status: 'open',
        updated_at: incident.updated_at,
        updated_by: incident.created_by,
      }));
      for (let i = 0; i < rows.length; i += 50) {
        await knex('remediation_actions').insert(rows.slice(i, i + 50));
      }
      await knex('incidents')
        .where('id', incident.id)
        .update({
          review: JSON.stringify({
            rootCause: review.rootCause ?? '',
            lessons: review.lessons ?? '',
          }),
        });
    }
    after = incidents[incidents.length - 1].id;
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // The actions go back into the review's JSON as plain text, in order.
  let after = '';
  for (;;) {
    const incidents = await knex('incidents')
      .select('id', 'review')
      .where('id', '>', after)
      .whereNotNull('review')
      .orderBy('id')
      .limit(BATCH);
    if (incidents.length === 0) break;
    for (const incident of incidents) {
      const actions = await knex('remediation_actions')
        .where('incident_id', incident.id)
        .orderBy('position')
        .select('title');
      const review = JSON.parse(incident.review);
      await knex('incidents')
        .where('id', incident.id)
        .update({
          review: JSON.stringify({
            rootCause: review.rootCause ?? '',
            lessons: review.lessons ?? '',
            remediationActions: actions.map(action => action.title),
          }),
        });
    }
    after = incidents[incidents.length - 1].id;
  }
  await knex.schema.dropTable('remediation_actions');
};
