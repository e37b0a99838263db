import fs from 'fs';
import { createTestDatabases } from '../__testUtils__/databases';

const migrationsDir = `${__dirname}/../../migrations`;
const MIGRATION = '20261204150000_review_conditions.js';

jest.setTimeout(60_000);

function review(id: string, conditions: string[]) {
  return {
    id,
    entity_ref: 'component:default/shop',
    reviewer: 'user:default/jane',
    outcome: conditions.length ? 'approved-with-conditions' : 'approved',
    findings: 'fine',
    conditions: JSON.stringify(conditions),
    reviewed_at: 1767225600000,
    next_due_at: 1774972800000,
  };
}

describe('the review_conditions migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'tracks the conditions of the reviews already recorded, all open, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const before = fs
        .readdirSync(migrationsDir)
        .filter(file => file.endsWith('.js') && file < MIGRATION);
      for (let i = 0; i < before.length; i++) {
        await knex.migrate.up({ directory: migrationsDir });
      }
      // More reviews than one batch of the migration, most with conditions.
      const reviews = Array.from({ length: 1203 }, (_, i) =>
        review(
          `r${String(i).padStart(4, '0')}`,
          i % 3 === 0 ? [] : [`condition ${i}`, `second of ${i}`],
        ),
      );
      for (let i = 0; i < reviews.length; i += 100) {
        await knex('reviews').insert(reviews.slice(i, i + 100));
      }

      await knex.migrate.up({ directory: migrationsDir });

      const rows = await knex('review_conditions').orderBy([
        'review_id',
        'position',
      ]);
      expect(rows).toHaveLength(802 * 2);
      expect(rows.slice(0, 2)).toEqual([
        expect.objectContaining({
          review_id: 'r0001',
          position: 0,
          text: 'condition 1',
          status: 'open',
          met_at: null,
        }),
        expect.objectContaining({
          review_id: 'r0001',
          position: 1,
          text: 'second of 1',
        }),
      ]);
      expect(rows.filter(r => r.review_id === 'r0003')).toEqual([]);
      expect(rows.at(-1)).toEqual(
        expect.objectContaining({ review_id: 'r1202', text: 'second of 1202' }),
      );
    },
  );
});
