import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  IncidentInput,
  IncidentPatch,
  IncidentQuery,
  IncidentStatus,
  IncidentTimelineEntry,
  nextIncidentStatuses,
  Page,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunk, chunkRows, countOf, IN_LIST_SIZE, pageOf } from '../lib/rows';
import { applyIncidentFilter } from './incidentFilter';
import {
  Actor,
  IncidentFilter,
  IncidentReviewChange,
  IncidentStore,
} from './IncidentStore';
import {
  loadRemediationActions,
  markControlEntitiesStale,
  writeReviewActions,
} from './postIncidentReview';
import {
  IncidentRow,
  PHASE_COLUMNS,
  rowToIncident,
  rowToTimelineEntry,
  TimelineRow,
} from './rows';

/**
 * The knex implementation of {@link IncidentStore}. Every change bumps the
 * incident's version conditionally and appends to its timeline in one
 * transaction.
 */
export class DatabaseIncidentStore implements IncidentStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIncidentStore> {
    return new DatabaseIncidentStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async createIncident(options: {
    input: IncidentInput;
    actor: Actor;
    now: Date;
  }): Promise<Incident> {
    const id = await this.db.transaction(tx =>
      this.insertIncident(tx, options),
    );
    return (await this.getIncident({ id }))!;
  }

  async openCorrelatedIncident(options: {
    tx: Knex.Transaction;
    input: IncidentInput;
    actor: Actor;
    now: Date;
  }): Promise<string> {
    const { tx, ...rest } = options;
    return this.insertIncident(tx, rest);
  }

  async appendCorrelatedEvents(options: {
    tx: Knex.Transaction;
    entries: Array<{
      incidentId: string;
      actor: Actor;
      note: string;
      changes: Record<string, unknown>;
    }>;
    now: Date;
  }): Promise<void> {
    const rows = options.entries.map(entry => ({
      incident_id: entry.incidentId,
      at: options.now.getTime(),
      actor: entry.actor.ref,
      action: 'correlated',
      from_status: null,
      to_status: null,
      note: entry.note,
      changes: JSON.stringify(entry.changes),
    }));
    for (const part of chunkRows(rows)) {
      await options.tx('incident_timeline').insert(part);
    }
  }

  /** Inserts a new incident with its links and first timeline entry. */
  private async insertIncident(
    tx: Knex.Transaction,
    options: { input: IncidentInput; actor: Actor; now: Date },
  ): Promise<string> {
    const { input, actor } = options;
    const now = options.now.getTime();
    const id = randomUUID();
    await tx<IncidentRow>('incidents').insert({
      id,
      title: input.title,
      description: input.description ?? '',
      severity: input.severity,
      status: 'reported',
      reported_at: input.reportedAt ? toMillis(input.reportedAt) : now,
      review: null,
      external_references: JSON.stringify(input.externalReferences ?? []),
      created_by: actor.ref,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await this.writeIncidentLinks(tx, id, {
      entities: input.affectedEntities,
      controls: input.failedControls ?? [],
    });
    await this.appendTimeline(tx, {
      incidentId: id,
      at: now,
      actor: actor.ref,
      action: 'created',
      toStatus: 'reported',
    });
    return id;
  }

  async getIncident(options: {
    id: string;
    filter?: IncidentFilter;
  }): Promise<Incident | undefined> {
    const query = this.db<IncidentRow>('incidents').where(
      'incidents.id',
      options.id,
    );
    if (options.filter) applyIncidentFilter(this.db, query, options.filter);
    const row = await query.first();
    if (!row) return undefined;
    const [incident] = await this.withLinks(this.db, [row]);
    return incident;
  }

  async listIncidents(options: {
    query: IncidentQuery;
    filter?: IncidentFilter;
  }): Promise<Page<Incident>> {
    const { query, filter } = options;
    const { limit, offset } = pageOf(query);
    const db = this.db;
    const base = db<IncidentRow>('incidents');
    if (query.status?.length) base.whereIn('incidents.status', query.status);
    if (query.severity?.length) {
      base.whereIn('incidents.severity', query.severity);
    }
    if (query.open === true) base.whereNot('incidents.status', 'closed');
    if (query.open === false) base.where('incidents.status', 'closed');
    if (query.entityRef) {
      base.whereExists(
        db('incident_entities as qie')
          .whereRaw('?? = ??', ['qie.incident_id', 'incidents.id'])
          .where('qie.entity_ref', query.entityRef)
          .select(db.raw('1')),
      );
    }
    if (query.owner) {
      base.whereExists(
        db('incident_entities as oie')
          .join('entities as oe', 'oe.entity_ref', 'oie.entity_ref')
          .whereRaw('?? = ??', ['oie.incident_id', 'incidents.id'])
          .where('oe.owner', query.owner)
          .select(db.raw('1')),
      );
    }
    if (filter) applyIncidentFilter(db, base, filter);

    const [rows, total] = await Promise.all([
      base
        .clone()
        .select('incidents.*')
        .orderBy([
          { column: 'incidents.created_at', order: 'desc' },
          { column: 'incidents.id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return {
      items: await this.withLinks(db, rows),
      totalCount: countOf(total),
    };
  }

  async updateIncident(options: {
    id: string;
    patch: IncidentPatch;
    actor: Actor;
    now: Date;
  }): Promise<Incident> {
    const { id, patch, actor } = options;
    const now = options.now.getTime();
    await this.db.transaction(async tx => {
      const [current] = await this.withLinks(tx, [
        await this.currentIncident(tx, id, patch.version),
      ]);

      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const update: Partial<IncidentRow> = {};
      const scalar = {
        title: 'title',
        description: 'description',
        severity: 'severity',
      } as const;
      for (const [field, column] of Object.entries(scalar)) {
        const value = patch[field as keyof typeof scalar];
        if (value !== undefined && value !== current[column]) {
          changes[field] = { from: current[column], to: value };
          (update as Record<string, unknown>)[column] = value;
        }
      }
      if (
        patch.externalReferences !== undefined &&
        JSON.stringify(patch.externalReferences) !==
          JSON.stringify(current.externalReferences)
      ) {
        changes.externalReferences = {
          from: current.externalReferences,
          to: patch.externalReferences,
        };
        update.external_references = JSON.stringify(patch.externalReferences);
      }
      const entities = this.changedSet(
        current.affectedEntities,
        patch.affectedEntities,
      );
      if (entities) changes.affectedEntities = entities;
      const controls = this.changedSet(
        current.failedControls,
        patch.failedControls,
      );
      if (controls) changes.failedControls = controls;

      if (Object.keys(changes).length === 0) return;

      await this.bumpVersion(tx, id, patch.version, {
        ...update,
        updated_at: now,
      });
      if (entities) {
        await tx('incident_entities').where('incident_id', id).delete();
        await this.writeIncidentLinks(tx, id, { entities: entities.to });
      }
      if (controls) {
        await tx('incident_controls').where('incident_id', id).delete();
        await this.writeIncidentLinks(tx, id, { controls: controls.to });
        // The retests its review or closing requires move with them.
        await markControlEntitiesStale(tx, [...controls.from, ...controls.to]);
      }
      await this.appendTimeline(tx, {
        incidentId: id,
        at: now,
        actor: actor.ref,
        action: 'updated',
        changes,
      });
    });
    return (await this.getIncident({ id }))!;
  }

  async transitionIncident(options: {
    id: string;
    to: IncidentStatus;
    version: number;
    note?: string;
    actor: Actor;
    now: Date;
  }): Promise<Incident> {
    const { id, to, version, actor } = options;
    const now = options.now.getTime();
    await this.db.transaction(async tx => {
      const current = await this.currentIncident(tx, id, version);
      const from = current.status as IncidentStatus;
      const allowed = nextIncidentStatuses(from);
      if (!allowed.includes(to)) {
        throw new InputError(
          `cannot move incident from ${from} to ${to}; next allowed: ${
            allowed.join(', ') || 'none'
          }`,
        );
      }
      const phase = PHASE_COLUMNS[to];
      await this.bumpVersion(tx, id, version, {
        status: to,
        // A phase keeps the time it was first reached, also after a reopen.
        [phase]: current[phase] ?? now,
        updated_at: now,
      });
      if (to === 'closed' || from === 'closed') {
        await markControlEntitiesStale(tx, await this.controlRefsOf(tx, id));
      }
      await this.appendTimeline(tx, {
        incidentId: id,
        at: now,
        actor: actor.ref,
        action: 'transitioned',
        fromStatus: from,
        toStatus: to,
        note: options.note,
      });
    });
    return (await this.getIncident({ id }))!;
  }

  async setIncidentReview(options: {
    id: string;
    review: IncidentReviewChange;
    version: number;
    actor: Actor;
    now: Date;
  }): Promise<Incident> {
    const { id, version, actor } = options;
    const now = options.now.getTime();
    const { rootCause, lessons, failedControls } = options.review;
    const review = { rootCause, lessons };
    await this.db.transaction(async tx => {
      const current = await this.currentIncident(tx, id, version);
      const previousControls = await this.controlRefsOf(tx, id);
      const { changes: actions, problems } = await writeReviewActions(tx, {
        incidentId: id,
        actions: options.review.remediationActions,
        actor: actor.ref,
        now,
      });
      if (problems.length) throw new InputError(problems.join('; '));
      await this.bumpVersion(tx, id, version, {
        review: JSON.stringify(review),
        updated_at: now,
      });
      const controls = this.changedSet(previousControls, failedControls);
      if (controls) {
        await tx('incident_controls').where('incident_id', id).delete();
        await this.writeIncidentLinks(tx, id, { controls: controls.to });
      }
      // A review makes every failed control due for a retest.
      await markControlEntitiesStale(tx, [
        ...previousControls,
        ...(controls?.to ?? []),
      ]);
      await this.appendTimeline(tx, {
        incidentId: id,
        at: now,
        actor: actor.ref,
        action: 'reviewed',
        changes: {
          review: {
            from: current.review ? JSON.parse(current.review) : null,
            to: review,
          },
          ...(controls ? { failedControls: controls } : {}),
          remediationActions: actions,
        },
      });
    });
    return (await this.getIncident({ id }))!;
  }

  private async controlRefsOf(
    tx: Knex.Transaction,
    incidentId: string,
  ): Promise<string[]> {
    const rows = await tx('incident_controls')
      .where('incident_id', incidentId)
      .orderBy('control_ref')
      .select('control_ref');
    return rows.map(row => row.control_ref);
  }

  async getIncidentTimeline(id: string): Promise<IncidentTimelineEntry[]> {
    const rows = await this.db<TimelineRow>('incident_timeline')
      .where('incident_id', id)
      .orderBy('id', 'asc');
    return rows.map(rowToTimelineEntry);
  }

  /** The incident row, or NotFoundError / ConflictError for a stale version. */
  private async currentIncident(
    tx: Knex.Transaction,
    id: string,
    version: number,
  ): Promise<IncidentRow> {
    const row = await tx<IncidentRow>('incidents').where('id', id).first();
    if (!row) throw new NotFoundError(`No incident with id ${id}`);
    if (Number(row.version) !== version) {
      throw this.staleVersion(id, Number(row.version));
    }
    return row;
  }

  /**
   * Applies a change only if nobody changed the incident since `version` was
   * read; the conditional update is what makes concurrent writers safe.
   */
  private async bumpVersion(
    tx: Knex.Transaction,
    id: string,
    version: number,
    update: Partial<IncidentRow>,
  ): Promise<void> {
    const updated = await tx<IncidentRow>('incidents')
      .where({ id, version })
      .update({ ...update, version: version + 1 });
    if (updated === 0) {
      const row = await tx<IncidentRow>('incidents').where('id', id).first();
      if (!row) throw new NotFoundError(`No incident with id ${id}`);
      throw this.staleVersion(id, Number(row.version));
    }
  }

  private staleVersion(id: string, current: number): ConflictError {
    return new ConflictError(
      `incident ${id} was changed by someone else; its current version is ${current}`,
    );
  }

  private changedSet(
    current: string[],
    next: string[] | undefined,
  ): { from: string[]; to: string[] } | undefined {
    if (next === undefined) return undefined;
    const to = [...new Set(next)].sort();
    const same =
      to.length === current.length && to.every((v, i) => v === current[i]);
    return same ? undefined : { from: current, to };
  }

  private async writeIncidentLinks(
    tx: Knex.Transaction,
    incidentId: string,
    links: { entities?: string[]; controls?: string[] },
  ): Promise<void> {
    const entities = [...new Set(links.entities ?? [])].map(entityRef => ({
      incident_id: incidentId,
      entity_ref: entityRef,
    }));
    for (const rows of chunkRows(entities)) {
      await tx('incident_entities').insert(rows);
    }
    const controls = [...new Set(links.controls ?? [])].map(controlRef => ({
      incident_id: incidentId,
      control_ref: controlRef,
    }));
    for (const rows of chunkRows(controls)) {
      await tx('incident_controls').insert(rows);
    }
  }

  private async appendTimeline(
    tx: Knex.Transaction,
    entry: {
      incidentId: string;
      at: number;
      actor: string;
      action: IncidentTimelineEntry['action'];
      fromStatus?: IncidentStatus;
      toStatus?: IncidentStatus;
      note?: string;
      changes?: Record<string, unknown>;
    },
  ): Promise<void> {
    await tx('incident_timeline').insert({
      incident_id: entry.incidentId,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      from_status: entry.fromStatus ?? null,
      to_status: entry.toStatus ?? null,
      note: entry.note ?? null,
      changes: entry.changes ? JSON.stringify(entry.changes) : null,
    });
  }

  private async withLinks(db: Knex, rows: IncidentRow[]): Promise<Incident[]> {
    if (rows.length === 0) return [];
    const ids = rows.map(row => row.id);
    const entities = new Map<string, string[]>();
    const controls = new Map<string, string[]>();
    for (const part of chunk(ids, IN_LIST_SIZE)) {
      const [entityRows, controlRows] = await Promise.all([
        db('incident_entities')
          .whereIn('incident_id', part)
          .orderBy('entity_ref'),
        db('incident_controls')
          .whereIn('incident_id', part)
          .orderBy('control_ref'),
      ]);
      for (const row of entityRows) {
        entities.set(row.incident_id, [
          ...(entities.get(row.incident_id) ?? []),
          row.entity_ref,
        ]);
      }
      for (const row of controlRows) {
        controls.set(row.incident_id, [
          ...(controls.get(row.incident_id) ?? []),
          row.control_ref,
        ]);
      }
    }
    const actions = await loadRemediationActions(
      db,
      rows.filter(row => row.review !== null).map(row => row.id),
    );
    return rows.map(row =>
      rowToIncident(
        row,
        entities.get(row.id) ?? [],
        controls.get(row.id) ?? [],
        actions.get(row.id) ?? [],
      ),
    );
  }
}
