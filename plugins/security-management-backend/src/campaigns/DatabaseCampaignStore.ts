import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Campaign,
  CampaignDetail,
  CampaignOwnerProgress,
  CampaignPage,
  CampaignProgress,
  CampaignResult,
  CampaignStatus,
  EntityCampaigns,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import {
  chunk,
  chunkRows,
  DbMillis,
  IN_LIST_SIZE,
  toIso,
  toOptionalIso,
} from '../lib/rows';
import { CampaignNotice, CampaignStore, NewCampaign } from './CampaignStore';
import { doneSql, itemsQuery, progressQuery } from './progressSql';

interface CampaignRow {
  id: string;
  name: string;
  goal: string;
  scope: string;
  entity_count: number;
  deadline_at: DbMillis;
  started_by: string;
  started_at: DbMillis;
  closed_by: string | null;
  archived_at: DbMillis | null;
  result: string | null;
}

interface ProgressRow {
  campaign_id: string;
  owner?: string | null;
  entities: number | string;
  items: number | string;
  done: number | string | null;
  excepted: number | string | null;
}

const NO_PROGRESS: CampaignProgress = {
  entities: 0,
  items: 0,
  done: 0,
  excepted: 0,
};

function progressOf(row: ProgressRow | undefined): CampaignProgress {
  if (!row) return NO_PROGRESS;
  return {
    entities: Number(row.entities),
    items: Number(row.items),
    done: Number(row.done ?? 0),
    excepted: Number(row.excepted ?? 0),
  };
}

/**
 * The overall progress from the progress per owner: each entity has one
 * owner, so the sums are the overall figures (one query instead of two).
 */
function overallOf(owners: CampaignOwnerProgress[]): CampaignProgress {
  return owners.reduce(
    (sum, owner) => ({
      entities: sum.entities + owner.entities,
      items: sum.items + owner.items,
      done: sum.done + owner.done,
      excepted: sum.excepted + owner.excepted,
    }),
    NO_PROGRESS,
  );
}

/** Owners by most items left to do, then by name. */
function ownerProgressOf(rows: ProgressRow[]): CampaignOwnerProgress[] {
  return rows
    .map(row => ({
      ...(row.owner ? { owner: row.owner } : {}),
      ...progressOf(row),
    }))
    .sort(
      (a, b) =>
        b.items - b.done - (a.items - a.done) ||
        (a.owner ?? '').localeCompare(b.owner ?? ''),
    );
}

/**
 * The knex implementation of {@link CampaignStore}. Progress is one grouped
 * query over the campaigns asked for, whatever their number of entities.
 */
export class DatabaseCampaignStore implements CampaignStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseCampaignStore> {
    return new DatabaseCampaignStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async createCampaign(options: {
    campaign: NewCampaign;
    now: Date;
  }): Promise<Campaign> {
    const { campaign, now } = options;
    const id = randomUUID();
    const row: CampaignRow = {
      id,
      name: campaign.name,
      goal: campaign.goal,
      scope: JSON.stringify(campaign.scope),
      entity_count: campaign.entityRefs.length,
      deadline_at: toMillis(campaign.deadline),
      started_by: campaign.startedBy,
      started_at: now.getTime(),
      closed_by: null,
      archived_at: null,
      result: null,
    };
    await this.db.transaction(async tx => {
      await tx('campaigns').insert(row);
      const items = [
        ...campaign.controlRefs.map(ref => ({ kind: 'control', ref })),
        ...campaign.advisoryIds.map(ref => ({ kind: 'advisory', ref })),
      ].map(item => ({ campaign_id: id, kind: item.kind, item_ref: item.ref }));
      for (const rows of chunkRows(items)) {
        await tx('campaign_items').insert(rows);
      }
      for (const rows of chunkRows(
        campaign.entityRefs.map(entityRef => ({
          campaign_id: id,
          entity_ref: entityRef,
        })),
      )) {
        await tx('campaign_entities').insert(rows);
      }
    });
    return (await this.#campaigns([id], now))[0];
  }

  async listCampaigns(options: {
    status: CampaignStatus;
    limit: number;
    offset: number;
    now: Date;
  }): Promise<CampaignPage> {
    const { status, limit, offset, now } = options;
    const base = this.db('campaigns');
    if (status === 'active') base.whereNull('archived_at');
    else base.whereNotNull('archived_at');
    const [{ count }] = await base.clone().count({ count: '*' });
    const ids: Array<{ id: string }> = await base
      .clone()
      .orderBy(
        status === 'active'
          ? [
              { column: 'deadline_at', order: 'asc' },
              { column: 'id', order: 'asc' },
            ]
          : [
              { column: 'archived_at', order: 'desc' },
              { column: 'id', order: 'asc' },
            ],
      )
      .limit(limit)
      .offset(offset)
      .select('id');
    return {
      items: await this.#campaigns(
        ids.map(r => r.id),
        now,
      ),
      totalCount: Number(count),
    };
  }

  async getCampaign(
    id: string,
    now: Date,
  ): Promise<CampaignDetail | undefined> {
    const row: CampaignRow | undefined = await this.db('campaigns')
      .where('id', id)
      .first();
    if (!row) return undefined;
    if (row.result !== null) {
      const [campaign] = await this.#campaigns([id], now, new Map());
      return { campaign, owners: campaign.result!.owners };
    }
    const rows: ProgressRow[] = await progressQuery(this.db, {
      now: now.getTime(),
      campaignIds: [id],
      byOwner: true,
    });
    const owners = ownerProgressOf(rows);
    const [campaign] = await this.#campaigns(
      [id],
      now,
      new Map([[id, overallOf(owners)]]),
    );
    return { campaign, owners };
  }

  async archiveCampaign(options: {
    id: string;
    endedBy: CampaignResult['endedBy'];
    closedBy?: string;
    now: Date;
  }): Promise<Campaign> {
    const { id, endedBy, closedBy, now } = options;
    await this.db.transaction(async tx => {
      const row: CampaignRow | undefined = await tx('campaigns')
        .where('id', id)
        .forUpdate()
        .first();
      if (!row) throw new NotFoundError(`No campaign with id '${id}'`);
      if (row.archived_at !== null) {
        throw new ConflictError(`Campaign '${id}' is already archived`);
      }
      const rows: ProgressRow[] = await progressQuery(tx, {
        now: now.getTime(),
        campaignIds: [id],
        byOwner: true,
      });
      const owners = ownerProgressOf(rows);
      const progress = overallOf(owners);
      const result: CampaignResult = {
        endedBy,
        met: progress.done === progress.items,
        overall: progress,
        owners,
      };
      // The archived_at condition keeps the first archive if another
      // replica got there between the read and this write (SQLite has no
      // row locks; PostgreSQL waits on forUpdate above).
      const updated = await tx('campaigns')
        .where('id', id)
        .whereNull('archived_at')
        .update({
          archived_at: now.getTime(),
          closed_by: closedBy ?? null,
          result: JSON.stringify(result),
        });
      if (updated === 0) {
        throw new ConflictError(`Campaign '${id}' is already archived`);
      }
    });
    return (await this.#campaigns([id], now, new Map()))[0];
  }

  async listEndedCampaigns(now: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('campaigns')
      .whereNull('archived_at')
      .where('deadline_at', '<=', now.getTime())
      .orderBy('deadline_at')
      .select('id');
    return rows.map(r => r.id);
  }

  async listPendingNotices(options: {
    now: Date;
    dueSoonMs: number;
  }): Promise<Array<{ campaignId: string; notice: CampaignNotice }>> {
    const now = options.now.getTime();
    const sent = (notice: CampaignNotice) =>
      this.db('campaign_notices as n')
        .whereRaw('?? = ??', ['n.campaign_id', 'c.id'])
        .where('n.notice', notice)
        .select(this.db.raw('1'));
    const started = this.db('campaigns as c')
      .whereNull('c.archived_at')
      .whereNotExists(sent('started'))
      .select(
        this.db.ref('c.id').as('campaign_id'),
        this.db.raw("'started' AS notice"),
      );
    const dueSoon = this.db('campaigns as c')
      .whereNull('c.archived_at')
      .where('c.deadline_at', '>', now)
      .where('c.deadline_at', '<=', now + options.dueSoonMs)
      .whereNotExists(sent('due-soon'))
      .select(
        this.db.ref('c.id').as('campaign_id'),
        this.db.raw("'due-soon' AS notice"),
      );
    const missed = this.db('campaigns as c')
      .whereNotNull('c.archived_at')
      .whereNull('c.closed_by')
      .whereNotExists(sent('missed'))
      .select('c.id', 'c.result');
    const [startedRows, dueSoonRows, missedRows] = await Promise.all([
      started,
      dueSoon,
      missed,
    ]);
    const pending = [...startedRows, ...dueSoonRows].map(
      (row: { campaign_id: string; notice: CampaignNotice }) => ({
        campaignId: row.campaign_id,
        notice: row.notice,
      }),
    );
    for (const row of missedRows as Array<{ id: string; result: string }>) {
      const result: CampaignResult = JSON.parse(row.result);
      if (result.endedBy === 'deadline' && !result.met) {
        pending.push({ campaignId: row.id, notice: 'missed' });
      }
    }
    return pending;
  }

  async claimNotice(options: {
    campaignId: string;
    notice: CampaignNotice;
    now: Date;
  }): Promise<boolean> {
    const inserted = await this.db('campaign_notices')
      .insert({
        campaign_id: options.campaignId,
        notice: options.notice,
        sent_at: options.now.getTime(),
      })
      .onConflict(['campaign_id', 'notice'])
      .ignore()
      .returning('campaign_id');
    return inserted.length > 0;
  }

  async releaseNotice(options: {
    campaignId: string;
    notice: CampaignNotice;
  }): Promise<void> {
    await this.db('campaign_notices')
      .where({ campaign_id: options.campaignId, notice: options.notice })
      .delete();
  }

  async listItemEntities(options: {
    campaignId: string;
    undoneOnly: boolean;
    now: Date;
  }): Promise<string[]> {
    const query = itemsQuery(this.db, {
      now: options.now.getTime(),
      campaignIds: [options.campaignId],
    })
      .groupBy('s.entity_ref')
      .orderBy('s.entity_ref')
      .select('s.entity_ref');
    if (options.undoneOnly) {
      query.havingRaw('MIN(?) = 0', [doneSql(this.db, 's.')]);
    }
    const rows: Array<{ entity_ref: string }> = await query;
    return rows.map(r => r.entity_ref);
  }

  async listEntityCampaigns(
    entityRef: string,
    now: Date,
  ): Promise<EntityCampaigns> {
    const campaigns: CampaignRow[] = await this.db('campaigns as c')
      .join('campaign_entities as ce', 'ce.campaign_id', 'c.id')
      .where('ce.entity_ref', entityRef)
      .whereNull('c.archived_at')
      .orderBy([
        { column: 'c.deadline_at', order: 'asc' },
        { column: 'c.id', order: 'asc' },
      ])
      .select('c.*');
    if (campaigns.length === 0) return { items: [] };
    const items: Array<{
      campaign_id: string;
      kind: 'control' | 'advisory';
      item_ref: string;
      title: string;
      status: string;
      done: number | string;
    }> = await itemsQuery(this.db, {
      now: now.getTime(),
      campaignIds: campaigns.map(c => c.id),
      entityRef,
    })
      .orderBy(['s.kind', 's.item_ref'])
      .select(
        's.campaign_id',
        's.kind',
        's.item_ref',
        's.title',
        's.status',
        this.db.raw('? AS ??', [doneSql(this.db, 's.'), 'done']),
      );
    return {
      items: campaigns.map(c => ({
        id: c.id,
        name: c.name,
        goal: c.goal,
        deadline: toIso(c.deadline_at),
        items: items
          .filter(item => item.campaign_id === c.id)
          .map(item => ({
            kind: item.kind,
            ref: item.item_ref,
            title: item.title,
            status: item.status,
            done: Number(item.done) === 1,
          })),
      })),
    };
  }

  async unknownControls(controlRefs: string[]): Promise<string[]> {
    return this.#unknown('controls', 'control_ref', controlRefs);
  }

  async unknownAdvisories(advisoryIds: string[]): Promise<string[]> {
    return this.#unknown('advisories', 'advisory_id', advisoryIds);
  }

  async #unknown(
    table: string,
    column: string,
    values: string[],
  ): Promise<string[]> {
    const known = new Set<string>();
    for (const part of chunk([...new Set(values)], IN_LIST_SIZE)) {
      const rows: Array<Record<string, string>> = await this.db(table)
        .whereIn(column, part)
        .select(column);
      rows.forEach(row => known.add(row[column]));
    }
    return values.filter(value => !known.has(value));
  }

  /**
   * Campaigns by id, in the order given, each with its overall progress:
   * frozen for an archived one, else from `known` or computed now.
   */
  async #campaigns(
    ids: string[],
    now: Date,
    known?: Map<string, CampaignProgress>,
  ): Promise<Campaign[]> {
    if (ids.length === 0) return [];
    const [rows, items, progress] = await Promise.all([
      this.db('campaigns').whereIn('id', ids).select() as Promise<
        CampaignRow[]
      >,
      this.db('campaign_items')
        .whereIn('campaign_id', ids)
        .orderBy(['kind', 'item_ref'])
        .select('campaign_id', 'kind', 'item_ref') as Promise<
        Array<{ campaign_id: string; kind: string; item_ref: string }>
      >,
      known
        ? Promise.resolve([] as ProgressRow[])
        : (progressQuery(this.db, {
            now: now.getTime(),
            campaignIds: this.db('campaigns')
              .whereIn('id', ids)
              .whereNull('archived_at')
              .select('id'),
          }) as Promise<ProgressRow[]>),
    ]);
    const byId = new Map(rows.map(row => [row.id, row]));
    return ids.flatMap(id => {
      const row = byId.get(id);
      if (!row) return [];
      const own = items.filter(item => item.campaign_id === id);
      const result: CampaignResult | undefined = row.result
        ? JSON.parse(row.result)
        : undefined;
      return [
        {
          id: row.id,
          name: row.name,
          goal: row.goal,
          controlRefs: own
            .filter(i => i.kind === 'control')
            .map(i => i.item_ref),
          advisoryIds: own
            .filter(i => i.kind === 'advisory')
            .map(i => i.item_ref),
          scope: JSON.parse(row.scope),
          entityCount: Number(row.entity_count),
          deadline: toIso(row.deadline_at),
          status: row.archived_at === null ? 'active' : 'archived',
          startedBy: row.started_by,
          startedAt: toIso(row.started_at),
          ...(row.closed_by ? { closedBy: row.closed_by } : {}),
          ...(row.archived_at !== null
            ? { archivedAt: toOptionalIso(row.archived_at) }
            : {}),
          progress:
            result?.overall ??
            known?.get(id) ??
            progressOf(progress.find(p => p.campaign_id === id)),
          ...(result ? { result } : {}),
        } satisfies Campaign,
      ];
    });
  }
}
