import {
  DONE_ADVISORY_FINDING_STATUSES,
  DONE_CONTROL_STATUSES,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { controlStatusSql, joinPairState } from '../posture/postureSql';

/*
 * Campaign progress as SQL. An item is an entity in scope with a control of
 * the campaign that applies to it (status as the posture defines it), or
 * with a finding of an advisory of the campaign (its lifecycle status).
 * Entities without any item count nowhere: a control that does not apply,
 * or an advisory that does not affect them, is not theirs to do.
 */

/** Campaigns to restrict a query to: a list, or a query selecting ids. */
export type CampaignIds = string[] | Knex.QueryBuilder;

/**
 * One row per item of the given campaigns at now: campaign_id, entity_ref,
 * owner, kind, item_ref, title, status.
 */
function itemStateQuery(
  db: Knex,
  options: { now: number; campaignIds: CampaignIds; entityRef?: string },
): Knex.QueryBuilder {
  const { now, campaignIds, entityRef } = options;
  const inScope = db('campaign_entities')
    .whereIn('campaign_id', campaignIds)
    .select('entity_ref');
  if (entityRef) inScope.where('entity_ref', entityRef);

  const controls = joinPairState(
    db,
    db('campaign_entities as ce')
      .join('campaign_items as ci', join =>
        join
          .on('ci.campaign_id', 'ce.campaign_id')
          .andOnVal('ci.kind', 'control'),
      )
      .join('applicability as a', join =>
        join
          .on('a.entity_ref', 'ce.entity_ref')
          .andOn('a.control_ref', 'ci.item_ref'),
      )
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join('controls as c', 'c.control_ref', 'a.control_ref'),
    { now, entityRefs: entityRef ? [entityRef] : inScope },
  )
    .whereIn('ce.campaign_id', campaignIds)
    .whereNull('e.removed_at')
    .select(
      'ce.campaign_id',
      'ce.entity_ref',
      'e.owner',
      db.raw('? AS ??', ['control', 'kind']),
      'ci.item_ref',
      db.ref('c.title').as('title'),
      db.raw('? AS ??', [controlStatusSql(db, now), 'status']),
    );

  const advisories = db('campaign_entities as ce')
    .join('campaign_items as ci', join =>
      join
        .on('ci.campaign_id', 'ce.campaign_id')
        .andOnVal('ci.kind', 'advisory'),
    )
    .join('advisory_findings as f', join =>
      join
        .on('f.entity_ref', 'ce.entity_ref')
        .andOn('f.advisory_id', 'ci.item_ref'),
    )
    .leftJoin('entities as e', 'e.entity_ref', 'f.entity_ref')
    .leftJoin('advisories as adv', 'adv.advisory_id', 'f.advisory_id')
    .whereIn('ce.campaign_id', campaignIds)
    .whereNull('e.removed_at')
    .select(
      'ce.campaign_id',
      'ce.entity_ref',
      db.raw('COALESCE(??, ??) AS ??', ['e.owner', 'f.owner', 'owner']),
      db.raw('? AS ??', ['advisory', 'kind']),
      'ci.item_ref',
      db.raw('COALESCE(??, ??) AS ??', [
        'adv.summary',
        'f.advisory_id',
        'title',
      ]),
      db.ref('f.status').as('status'),
    );
  if (entityRef) {
    controls.where('ce.entity_ref', entityRef);
    advisories.where('ce.entity_ref', entityRef);
  }
  return controls.unionAll(advisories);
}

/** 1 when the item of a row (`kind`, `status`) is done, else 0. */
export function doneSql(db: Knex, prefix = ''): Knex.Raw {
  const kind = `${prefix}kind`;
  const status = `${prefix}status`;
  return db.raw(
    `CASE WHEN (?? = 'control' AND ?? IN (${DONE_CONTROL_STATUSES.map(
      () => '?',
    ).join(
      ', ',
    )})) OR (?? = 'advisory' AND ?? IN (${DONE_ADVISORY_FINDING_STATUSES.map(
      () => '?',
    ).join(', ')})) THEN 1 ELSE 0 END`,
    [
      kind,
      status,
      ...DONE_CONTROL_STATUSES,
      kind,
      status,
      ...DONE_ADVISORY_FINDING_STATUSES,
    ],
  );
}

/** The items of the given campaigns at now, as a query over `s`. */
export function itemsQuery(
  db: Knex,
  options: { now: number; campaignIds: CampaignIds; entityRef?: string },
): Knex.QueryBuilder {
  return db.from(itemStateQuery(db, options).as('s'));
}

/**
 * Progress of the given campaigns at now, grouped by campaign (and owner,
 * with `byOwner`): entities, items, done, excepted.
 */
export function progressQuery(
  db: Knex,
  options: { now: number; campaignIds: CampaignIds; byOwner?: boolean },
): Knex.QueryBuilder {
  const query = itemsQuery(db, options)
    .groupBy('s.campaign_id')
    .select(
      's.campaign_id',
      db.raw('COUNT(DISTINCT ??) AS ??', ['s.entity_ref', 'entities']),
      db.raw('COUNT(*) AS ??', ['items']),
      db.raw('SUM(?) AS ??', [doneSql(db, 's.'), 'done']),
      db.raw(
        `SUM(CASE WHEN ?? = 'control' AND ?? = 'excepted' THEN 1 ELSE 0 END) AS ??`,
        ['s.kind', 's.status', 'excepted'],
      ),
    );
  if (options.byOwner) query.groupBy('s.owner').select('s.owner');
  return query;
}
