import {
  ReviewReason,
  ReviewTrigger,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { chunk, DbMillis, IN_LIST_SIZE, toIso } from '../lib/rows';

/**
 * The review triggers seen after each entity's latest review (by
 * reviewed_at), oldest first, in one grouped query per thousand entities.
 * Entities never reviewed have none: the inner join drops them.
 */
export async function pendingReviewReasons(
  db: Knex,
  entityRefs: string[],
): Promise<Map<string, ReviewReason[]>> {
  const reasons = new Map<string, ReviewReason[]>();
  for (const refs of chunk([...new Set(entityRefs)], IN_LIST_SIZE)) {
    const latest = db('reviews')
      .whereIn('entity_ref', refs)
      .groupBy('entity_ref')
      .select('entity_ref', db.raw('MAX(??) AS ??', ['reviewed_at', 'at']));
    const rows: Array<{
      entity_ref: string;
      trigger: ReviewTrigger;
      detail: string;
      seen_at: DbMillis;
    }> = await db('review_triggers as t')
      .join(latest.as('lr'), 'lr.entity_ref', 't.entity_ref')
      .whereIn('t.entity_ref', refs)
      .whereRaw('?? > ??', ['t.seen_at', 'lr.at'])
      .orderBy([
        { column: 't.entity_ref' },
        { column: 't.seen_at' },
        { column: 't.id' },
      ])
      .select('t.entity_ref', 't.trigger', 't.detail', 't.seen_at');
    for (const row of rows) {
      let list = reasons.get(row.entity_ref);
      if (!list) {
        list = [];
        reasons.set(row.entity_ref, list);
      }
      list.push({
        trigger: row.trigger,
        detail: row.detail,
        seenAt: toIso(row.seen_at),
      });
    }
  }
  return reasons;
}
