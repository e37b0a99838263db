import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ExceptionInput,
  ExceptionQuery,
  Page,
  SecurityException,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { byKey, countOf, pageOf } from '../lib/rows';
import { markCountsStale } from '../posture/postureCounts';
import { ExceptionStore } from './ExceptionStore';
import { ExceptionRow, rowToException } from './rows';

/** Every column of an exception but its stored status. */
const COLUMNS_BUT_STATUS = [
  'id',
  'control_ref',
  'entity_ref',
  'justification',
  'requested_by',
  'requested_at',
  'decided_by',
  'decided_at',
  'decision_note',
  'expires_at',
] as const;

/**
 * The status of an exception at now. An approved exception counts until its
 * expiry (exclusive, as in -common's controlStatus); from then on it is
 * expired in every answer, whether or not housekeeping has stored that yet.
 */
function statusAtSql(db: Knex, now: number): Knex.Raw {
  return db.raw(
    `CASE WHEN ?? = 'approved' AND ?? <= ? THEN 'expired' ELSE ?? END`,
    ['status', 'expires_at', now, 'status'],
  );
}

/**
 * The knex implementation of {@link ExceptionStore}. A decision or expiry
 * that changes what counts marks posture counts stale in its transaction.
 */
export class DatabaseExceptionStore implements ExceptionStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseExceptionStore> {
    return new DatabaseExceptionStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async requestException(options: {
    input: ExceptionInput;
    requestedBy: string;
    now: Date;
  }): Promise<SecurityException> {
    const { input } = options;
    const row: ExceptionRow = {
      id: randomUUID(),
      control_ref: input.controlRef,
      entity_ref: input.entityRef,
      justification: input.justification,
      status: 'requested',
      requested_by: options.requestedBy,
      requested_at: options.now.getTime(),
      decided_by: null,
      decided_at: null,
      decision_note: null,
      expires_at: toMillis(input.expiresAt),
    };
    await this.db('exceptions').insert(row);
    return rowToException(row);
  }

  async getException(
    id: string,
    now: Date = new Date(),
  ): Promise<SecurityException | undefined> {
    const row: ExceptionRow | undefined = await this.db('exceptions')
      .where('id', id)
      .first(...this.columnsAt(now));
    return row ? rowToException(row) : undefined;
  }

  /** The columns of an exception with its status as at now. */
  private columnsAt(now: Date) {
    return [
      ...COLUMNS_BUT_STATUS,
      this.db.raw('? AS ??', [statusAtSql(this.db, now.getTime()), 'status']),
    ];
  }

  async decideException(options: {
    id: string;
    decision: 'approved' | 'rejected';
    decidedBy: string;
    note?: string;
    now: Date;
  }): Promise<SecurityException> {
    const { id, decision, decidedBy } = options;
    const current = await this.getException(id);
    if (!current) throw new NotFoundError(`No exception with id ${id}`);
    if (current.requestedBy === decidedBy) {
      throw new NotAllowedError(
        'the requester cannot approve their own exception',
      );
    }
    if (current.status !== 'requested') {
      throw new ConflictError(`exception ${id} is already ${current.status}`);
    }
    // Only a still-requested exception is decided: of two concurrent
    // decisions, one updates the row and the other finds it decided.
    const updated = await this.db.transaction(async tx => {
      const count = await tx<ExceptionRow>('exceptions')
        .where({ id, status: 'requested' })
        .update({
          status: decision,
          decided_by: decidedBy,
          decided_at: options.now.getTime(),
          decision_note: options.note ?? null,
        });
      // A requested or rejected exception counts for nothing.
      if (count > 0 && decision === 'approved') {
        await markCountsStale(tx, [current.entityRef]);
      }
      return count;
    });
    const after = (await this.getException(id, options.now))!;
    if (updated === 0) {
      throw new ConflictError(`exception ${id} is already ${after.status}`);
    }
    return after;
  }

  async listExceptions(
    query: ExceptionQuery,
    now: Date = new Date(),
  ): Promise<Page<SecurityException>> {
    const { limit, offset } = pageOf(query);
    const base = this.db('exceptions');
    if (query.status?.length) {
      base.whereRaw(`(?) IN (${query.status.map(() => '?').join(', ')})`, [
        statusAtSql(this.db, now.getTime()),
        ...query.status,
      ]);
    }
    if (query.entityRef) base.where('entity_ref', query.entityRef);
    if (query.controlRef) base.where('control_ref', query.controlRef);
    if (query.expiresBefore) {
      base.where('expires_at', '<', toMillis(query.expiresBefore));
    }
    const [rows, total]: [ExceptionRow[], { count?: unknown } | undefined] =
      await Promise.all([
        base
          .clone()
          .select(...this.columnsAt(now))
          .orderBy([
            { column: 'requested_at', order: 'desc' },
            { column: 'id', order: 'desc' },
          ])
          .limit(limit)
          .offset(offset),
        base.clone().count({ count: '*' }).first(),
      ]);
    return { items: rows.map(rowToException), totalCount: countOf(total) };
  }

  async expireExceptions(now: Date): Promise<SecurityException[]> {
    // RETURNING reports only the rows this call changed, so two replicas
    // expiring at once never both report the same exception.
    const rows: ExceptionRow[] = await this.db.transaction(async tx => {
      const expired: ExceptionRow[] = await tx<ExceptionRow>('exceptions')
        .where('status', 'approved')
        .where('expires_at', '<=', now.getTime())
        .update({ status: 'expired' })
        .returning('*');
      // Counts at an instant before the expiry still included it.
      await markCountsStale(
        tx,
        expired.map(row => row.entity_ref),
      );
      return expired;
    });
    return rows.map(rowToException).sort(byKey(e => e.id));
  }
}
