import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AlertPage,
  AlertStatusFilter,
  SecurityAlert,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunkRows } from '../lib/rows';
import { AlertStore, NewAlert } from './AlertStore';
import { AlertRow, rowToAlert } from './rows';

const ALERTS = 'security_alerts';
const ALERT_ENTITIES = 'security_alert_entities';

/** Every column of an alert but its stored status. */
const COLUMNS_BUT_STATUS = [
  'id',
  'title',
  'description',
  'severity',
  'precautions',
  'scope',
  'affected_entity_count',
  'expires_at',
  'source',
  'rule_id',
  'rule_key',
  'raised_by',
  'raised_at',
  'resolved_by',
  'resolved_at',
  'resolution',
] as const;

/**
 * The status of an alert at now: an active alert is expired from its expiry
 * (inclusive) on, whether or not anything has stored that.
 */
function statusAtSql(db: Knex, now: number): Knex.Raw {
  return db.raw(
    `CASE WHEN ?? = 'active' AND ?? IS NOT NULL AND ?? <= ? THEN 'expired' ELSE ?? END`,
    [
      `${ALERTS}.status`,
      `${ALERTS}.expires_at`,
      `${ALERTS}.expires_at`,
      now,
      `${ALERTS}.status`,
    ],
  );
}

/** Narrows a query of alerts to those with a status at now. */
function whereStatusAt(
  query: Knex.QueryBuilder,
  status: AlertStatusFilter,
  now: number,
): Knex.QueryBuilder {
  switch (status) {
    case 'active':
      return query
        .where(`${ALERTS}.status`, 'active')
        .where(q =>
          q
            .whereNull(`${ALERTS}.expires_at`)
            .orWhere(`${ALERTS}.expires_at`, '>', now),
        );
    case 'expired':
      return query
        .where(`${ALERTS}.status`, 'active')
        .where(`${ALERTS}.expires_at`, '<=', now);
    case 'resolved':
      return query.where(`${ALERTS}.status`, 'resolved');
    default:
      return query;
  }
}

/** Most severe first, for banners. */
const SEVERITY_RANK = `CASE ?? WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;

/**
 * The knex implementation of {@link AlertStore}. An alert and its entities
 * are written in one transaction; a rule's alert is unique by its key, so
 * replicas raising the same alert at once store it once.
 */
export class DatabaseAlertStore implements AlertStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAlertStore> {
    return new DatabaseAlertStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async createAlert(options: {
    alert: NewAlert;
    now: Date;
  }): Promise<{ alert: SecurityAlert; created: boolean }> {
    const { alert, now } = options;
    const row: AlertRow = {
      id: randomUUID(),
      title: alert.title,
      description: alert.description,
      severity: alert.severity,
      precautions: alert.precautions,
      scope: JSON.stringify(alert.scope),
      affected_entity_count: alert.entityRefs.length,
      expires_at: alert.expiresAt ? toMillis(alert.expiresAt) : null,
      status: 'active',
      source: alert.source,
      rule_id: alert.ruleId ?? null,
      rule_key: alert.ruleKey ?? null,
      raised_by: alert.raisedBy,
      raised_at: now.getTime(),
      resolved_by: null,
      resolved_at: null,
      resolution: null,
    };
    const created = await this.db.transaction(async tx => {
      // Of two inserts with one rule key, the second waits for the first
      // to commit and then inserts nothing (no error, no second alert).
      const inserted = await tx(ALERTS)
        .insert(row)
        .onConflict('rule_key')
        .ignore()
        .returning('id');
      if (inserted.length === 0) return false;
      for (const rows of chunkRows(
        alert.entityRefs.map(entityRef => ({
          alert_id: row.id,
          entity_ref: entityRef,
        })),
      )) {
        await tx(ALERT_ENTITIES).insert(rows);
      }
      return true;
    });
    if (created) {
      return { alert: (await this.getAlert(row.id, now))!, created };
    }
    const existing: AlertRow | undefined = await this.db(ALERTS)
      .where('rule_key', alert.ruleKey!)
      .first(...this.columnsAt(now));
    if (!existing) {
      // Only a concurrent delete could get here; nothing deletes alerts.
      throw new ConflictError(
        `alert for rule key '${alert.ruleKey}' changed meanwhile; try again`,
      );
    }
    return { alert: rowToAlert(existing), created: false };
  }

  async getAlert(
    id: string,
    now: Date = new Date(),
  ): Promise<SecurityAlert | undefined> {
    const row: AlertRow | undefined = await this.db(ALERTS)
      .where('id', id)
      .first(...this.columnsAt(now));
    return row ? rowToAlert(row) : undefined;
  }

  /** The columns of an alert with its status as at now. */
  private columnsAt(now: Date) {
    return [
      ...COLUMNS_BUT_STATUS.map(column => `${ALERTS}.${column}`),
      this.db.raw('? AS ??', [statusAtSql(this.db, now.getTime()), 'status']),
    ];
  }

  async resolveAlert(options: {
    id: string;
    resolvedBy: string;
    resolution: string;
    now: Date;
  }): Promise<SecurityAlert> {
    const { id, now } = options;
    // Only an unresolved alert is resolved: of two concurrent resolutions,
    // one updates the row and the other finds it resolved.
    const updated = await this.db(ALERTS)
      .where({ id, status: 'active' })
      .update({
        status: 'resolved',
        resolved_by: options.resolvedBy,
        resolved_at: now.getTime(),
        resolution: options.resolution,
      });
    const after = await this.getAlert(id, now);
    if (!after) throw new NotFoundError(`No alert with id '${id}'`);
    if (updated === 0) {
      throw new ConflictError(
        `Alert '${id}' was already resolved by ${after.resolvedBy} at ${after.resolvedAt}`,
      );
    }
    return after;
  }

  async listAlerts(
    query: {
      status: AlertStatusFilter;
      entityRef?: string;
      limit: number;
      offset: number;
    },
    now: Date = new Date(),
  ): Promise<AlertPage> {
    const at = now.getTime();
    const base = this.db(ALERTS);
    if (query.entityRef) {
      base.whereIn(
        `${ALERTS}.id`,
        this.db(ALERT_ENTITIES)
          .select('alert_id')
          .where('entity_ref', query.entityRef),
      );
    }
    const [rows, totals]: [
      AlertRow[],
      { total?: unknown; resolved?: unknown; expired?: unknown } | undefined,
    ] = await Promise.all([
      whereStatusAt(base.clone(), query.status, at)
        .select(...this.columnsAt(now))
        .orderBy([
          { column: `${ALERTS}.raised_at`, order: 'desc' },
          { column: `${ALERTS}.id`, order: 'desc' },
        ])
        .limit(query.limit)
        .offset(query.offset),
      base
        .clone()
        .select(
          this.db.raw('COUNT(*) AS ??', ['total']),
          this.db.raw(
            `SUM(CASE WHEN ?? = 'resolved' THEN 1 ELSE 0 END) AS ??`,
            [`${ALERTS}.status`, 'resolved'],
          ),
          this.db.raw(
            `SUM(CASE WHEN ?? = 'active' AND ?? <= ? THEN 1 ELSE 0 END) AS ??`,
            [`${ALERTS}.status`, `${ALERTS}.expires_at`, at, 'expired'],
          ),
        )
        .first(),
    ]);
    // SUM over no rows is NULL; PostgreSQL answers counts as strings.
    const total = Number(totals?.total ?? 0);
    const resolved = Number(totals?.resolved ?? 0);
    const expired = Number(totals?.expired ?? 0);
    const counts = { active: total - resolved - expired, resolved, expired };
    return {
      items: rows.map(rowToAlert),
      totalCount: query.status === 'all' ? total : counts[query.status],
      counts,
    };
  }

  async listEntityAlerts(
    entityRef: string,
    now: Date = new Date(),
  ): Promise<SecurityAlert[]> {
    const rows: AlertRow[] = await whereStatusAt(
      this.db(ALERTS).join(
        ALERT_ENTITIES,
        `${ALERT_ENTITIES}.alert_id`,
        `${ALERTS}.id`,
      ),
      'active',
      now.getTime(),
    )
      .where(`${ALERT_ENTITIES}.entity_ref`, entityRef)
      .select(...this.columnsAt(now))
      .orderByRaw(`${SEVERITY_RANK}, ?? DESC, ?? DESC`, [
        `${ALERTS}.severity`,
        `${ALERTS}.raised_at`,
        `${ALERTS}.id`,
      ]);
    return rows.map(rowToAlert);
  }
}
