import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ACTIVE_REMEDIATION_ACTION_STATUSES,
  Page,
  RemediationActionListItem,
  RemediationActionQuery,
  RemediationActionStatus,
  RequiredRetest,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunk, countOf, DbMillis, IN_LIST_SIZE, pageOf } from '../lib/rows';
import { applyIncidentFilter } from './incidentFilter';
import { Actor, IncidentFilter } from './IncidentStore';
import {
  lastClosedSql,
  RemediationActionRow,
  rowToRemediationAction,
  RETEST_OPEN,
  RETESTS_SQL,
} from './postIncidentReview';

type ActionListRow = RemediationActionRow & { incident_title: string };

/**
 * Remediation actions of post-incident reviews and the retests those
 * reviews require. Every read takes the caller's incident filter: an
 * action or a reason of an incident the caller may not read is neither
 * listed nor counted.
 */
export interface RemediationStore {
  listActions(options: {
    query: RemediationActionQuery;
    filter?: IncidentFilter;
  }): Promise<Page<RemediationActionListItem>>;
  /** The action, if its incident passes the filter. */
  getAction(options: {
    id: string;
    filter?: IncidentFilter;
  }): Promise<RemediationActionListItem | undefined>;
  /** Changes an action's status and notes it on its incident's timeline. */
  setActionStatus(options: {
    id: string;
    status: RemediationActionStatus;
    note?: string;
    actor: Actor;
    now: Date;
  }): Promise<RemediationActionListItem>;
  /**
   * The pairs of an entity, or of the entities of an owner, that need a
   * retest, with the incidents (that pass the filter) that require it.
   */
  listRetests(options: {
    entityRef?: string;
    owner?: string;
    /** Undefined: the caller may read no incident. */
    filter?: IncidentFilter;
    incidentsVisible: boolean;
  }): Promise<RequiredRetest[]>;
}

/** The knex implementation of {@link RemediationStore}. */
export class DatabaseRemediationStore implements RemediationStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRemediationStore> {
    return new DatabaseRemediationStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  private actionQuery(db: Knex, filter?: IncidentFilter): Knex.QueryBuilder {
    const query = db('remediation_actions as ra').join(
      'incidents',
      'incidents.id',
      'ra.incident_id',
    );
    if (filter) applyIncidentFilter(db, query, filter);
    return query;
  }

  async listActions(options: {
    query: RemediationActionQuery;
    filter?: IncidentFilter;
  }): Promise<Page<RemediationActionListItem>> {
    const { query, filter } = options;
    const { limit, offset } = pageOf(query);
    const db = this.db;
    const base = this.actionQuery(db, filter);
    if (query.entityRef) {
      base.whereExists(
        db('incident_entities as aie')
          .whereRaw('?? = ??', ['aie.incident_id', 'ra.incident_id'])
          .where('aie.entity_ref', query.entityRef)
          .select(db.raw('1')),
      );
    }
    if (query.owner) base.where('ra.owner', query.owner);
    if (query.status?.length) base.whereIn('ra.status', query.status);
    if (query.active) {
      base.whereIn('ra.status', [...ACTIVE_REMEDIATION_ACTION_STATUSES]);
    }
    if (query.dueBefore) {
      base.where('ra.due_at', '<=', toMillis(query.dueBefore));
    }
    const [rows, total] = await Promise.all([
      base
        .clone()
        .select('ra.*', db.ref('incidents.title').as('incident_title'))
        // By due date, those without one last.
        .orderByRaw('CASE WHEN ?? IS NULL THEN 1 ELSE 0 END, ?? ASC, ?? ASC', [
          'ra.due_at',
          'ra.due_at',
          'ra.id',
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return {
      items: (rows as ActionListRow[]).map(toListItem),
      totalCount: countOf(total),
    };
  }

  async getAction(options: {
    id: string;
    filter?: IncidentFilter;
  }): Promise<RemediationActionListItem | undefined> {
    return this.readAction(this.db, options);
  }

  private async readAction(
    db: Knex,
    options: { id: string; filter?: IncidentFilter },
  ): Promise<RemediationActionListItem | undefined> {
    const row = (await this.actionQuery(db, options.filter)
      .where('ra.id', options.id)
      .select('ra.*', db.ref('incidents.title').as('incident_title'))
      .first()) as ActionListRow | undefined;
    return row ? toListItem(row) : undefined;
  }

  async setActionStatus(options: {
    id: string;
    status: RemediationActionStatus;
    note?: string;
    actor: Actor;
    now: Date;
  }): Promise<RemediationActionListItem> {
    const { id, status, note, actor } = options;
    const now = options.now.getTime();
    return this.db.transaction(async tx => {
      const current = (await tx('remediation_actions')
        .where('id', id)
        .first()) as RemediationActionRow | undefined;
      if (!current) throw new NotFoundError(`No remediation action '${id}'`);
      if (current.status !== status) {
        // Conditional, so that of two concurrent changes one is refused
        // rather than both noting the same "from" on the timeline.
        const updated = await tx('remediation_actions')
          .where({ id, status: current.status })
          .update({ status, updated_at: now, updated_by: actor.ref });
        if (updated === 0) {
          throw new ConflictError(
            `remediation action '${id}' was changed by someone else; reload it`,
          );
        }
        // Not a change of the incident's own fields: its version stays, so
        // an open edit form of the incident is not made stale by it.
        await tx('incident_timeline').insert({
          incident_id: current.incident_id,
          at: now,
          actor: actor.ref,
          action: 'updated',
          from_status: null,
          to_status: null,
          note: note ?? null,
          changes: JSON.stringify({
            remediationAction: {
              id,
              title: current.title,
              status: { from: current.status, to: status },
            },
          }),
        });
      }
      return (await this.readAction(tx, { id }))!;
    });
  }

  async listRetests(options: {
    entityRef?: string;
    owner?: string;
    filter?: IncidentFilter;
    incidentsVisible: boolean;
  }): Promise<RequiredRetest[]> {
    const db = this.db;
    const pairs = db('applicability as a')
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join(db.raw(`(${RETESTS_SQL}) rt`), 'rt.control_ref', 'a.control_ref')
      .leftJoin('latest_tests as lt', join =>
        join
          .on('lt.entity_ref', 'a.entity_ref')
          .andOn('lt.control_ref', 'a.control_ref'),
      )
      .whereNull('e.removed_at')
      // -common's isRetestRequired.
      .whereRaw("NOT (?? IS NOT NULL AND ?? = 'pass' AND ?? > ??)", [
        'lt.result',
        'lt.result',
        'lt.tested_at',
        'rt.retest_after',
      ])
      .orderBy(['a.entity_ref', 'a.control_ref'])
      .select('a.entity_ref', 'a.control_ref', 'lt.result', 'lt.tested_at');
    if (options.entityRef) pairs.where('a.entity_ref', options.entityRef);
    if (options.owner) pairs.where('e.owner', options.owner);
    const rows: Array<{
      entity_ref: string;
      control_ref: string;
      result: string | null;
      tested_at: DbMillis | null;
    }> = await pairs;
    if (rows.length === 0) return [];

    const reasons = new Map<
      string,
      Array<{ id: string; title: string; status: string; after: number }>
    >();
    if (options.incidentsVisible) {
      const controlRefs = [...new Set(rows.map(row => row.control_ref))];
      for (const refs of chunk(controlRefs, IN_LIST_SIZE)) {
        const query = db('incidents')
          .join('incident_controls as ic', 'ic.incident_id', 'incidents.id')
          .whereIn('ic.control_ref', refs)
          .where(required =>
            required
              .whereNotNull('incidents.review')
              .orWhere('incidents.status', 'closed'),
          )
          .orderBy([
            { column: 'incidents.created_at', order: 'desc' },
            { column: 'incidents.id', order: 'desc' },
          ])
          .select(
            'ic.control_ref',
            'incidents.id',
            'incidents.title',
            'incidents.status',
            db.raw(`${lastClosedSql('incidents')} AS ??`, ['last_closed_at']),
          );
        if (options.filter) applyIncidentFilter(db, query, options.filter);
        for (const row of await query) {
          const list = reasons.get(row.control_ref) ?? [];
          list.push({
            id: row.id,
            title: row.title,
            status: row.status,
            after:
              row.status === 'closed'
                ? Number(row.last_closed_at)
                : RETEST_OPEN,
          });
          reasons.set(row.control_ref, list);
        }
      }
    }
    return rows.map(row => {
      const passedAt =
        row.result === 'pass' && row.tested_at !== null
          ? Number(row.tested_at)
          : undefined;
      // The incidents whose retest this pair still owes.
      const incidents = (reasons.get(row.control_ref) ?? [])
        .filter(
          incident => passedAt === undefined || passedAt <= incident.after,
        )
        .map(({ id, title, status }) => ({ id, title, status }));
      return {
        entityRef: row.entity_ref,
        controlRef: row.control_ref,
        incidents,
      };
    });
  }
}

function toListItem(row: ActionListRow): RemediationActionListItem {
  return { ...rowToRemediationAction(row), incidentTitle: row.incident_title };
}
