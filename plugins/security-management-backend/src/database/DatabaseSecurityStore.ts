import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  addDuration,
  ApplicabilityRefreshResult,
  CONTROL_STATUSES,
  ControlCoverage,
  ControlListItem,
  ControlPosture,
  ControlStatus,
  ControlStatusCounts,
  ControlSummary,
  EntityPosture,
  emptyControlCounts,
  emptyIncidentCounts,
  ExceptionInput,
  ExceptionQuery,
  Incident,
  IncidentInput,
  IncidentPatch,
  IncidentQuery,
  IncidentSeverity,
  IncidentStatus,
  IncidentTimelineEntry,
  INCIDENT_SEVERITIES,
  nextIncidentStatuses,
  Page,
  PostIncidentReview,
  PostureListQuery,
  postureGrade,
  PostureRollup,
  PostureRollupItem,
  postureScore,
  ReviewInput,
  ReviewOutcome,
  ReviewQuery,
  ReviewStatus,
  RollupDimension,
  ScheduledReview,
  ScheduledTest,
  ScheduleQuery,
  SecurityException,
  SecurityReview,
  TestingSchedule,
  TestRecord,
  TestRecordInput,
  TestRecordQuery,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { applyIncidentFilter } from './incidentFilter';
import {
  CONTROL_STATUS_CASE,
  controlStatusSql,
  freshCountsSql,
  incidentColumn,
  joinPairState,
  latestReviewQuery,
  pairStatusQuery,
  postureQuery,
  REVIEW_STATUS_CASE,
  reviewStatusSql,
  uncountedPostureQuery,
} from './postureSql';
import { connectSecurityDatabase } from '../lib/database';
import {
  byKey,
  chunk,
  chunkRows,
  countOf,
  DbMillis,
  IN_LIST_SIZE,
  optional,
  pageOf,
  rawRows,
  toIso,
  toOptionalIso,
} from '../lib/rows';
import {
  ControlRow,
  EntityRow,
  ExceptionRow,
  IncidentRow,
  LatestTestRow,
  PHASE_COLUMNS,
  ReviewRow,
  rowToControl,
  rowToException,
  rowToIncident,
  rowToReview,
  rowToTestRecord,
  rowToTimelineEntry,
  TestRecordRow,
  TimelineRow,
} from './rows';
import {
  Actor,
  IncidentFilter,
  SecurityStore,
  StoredEntity,
} from './SecurityStore';

const ROLLUP_COLUMNS: Record<RollupDimension, string> = {
  owner: 'owner',
  system: 'system',
  domain: 'domain',
};

type PostureRow = {
  entity_ref: string;
  kind: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  domain: string | null;
  risk_tier: number;
  last_reviewed_at: DbMillis | null;
  last_outcome: string | null;
  review_due_at: DbMillis | null;
  review_status: ReviewStatus;
} & Record<string, unknown>;

type ControlPostureRow = ControlRow & {
  status: ControlStatus;
  last_result: string | null;
  last_tested_at: DbMillis | null;
  next_due_at: DbMillis | null;
  last_evidence_url: string | null;
  exception_id: string | null;
  exception_expires_at: DbMillis | null;
  exception_justification: string | null;
};

/**
 * One entity still in the catalog with its latest review (the newest by
 * reviewed_at, then id), review status and open incidents by severity.
 * Bindings: the review status CASE, then the entity ref twice.
 */
const ENTITY_POSTURE_SQL = `
  SELECT e.entity_ref, e.kind, e.title, e.owner, e.system, e.domain,
    e.risk_tier,
    lr.reviewed_at AS last_reviewed_at,
    lr.outcome AS last_outcome,
    lr.next_due_at AS review_due_at,
    ${REVIEW_STATUS_CASE} AS review_status,
    ${INCIDENT_SEVERITIES.map(
      severity =>
        `COALESCE(oi.${incidentColumn(severity)}, 0) AS ${incidentColumn(
          severity,
        )}`,
    ).join(',\n    ')}
  FROM entities e
  LEFT JOIN reviews lr ON lr.entity_ref = e.entity_ref
    AND NOT EXISTS (
      SELECT 1 FROM reviews r
      WHERE r.entity_ref = lr.entity_ref
        AND (r.reviewed_at > lr.reviewed_at
          OR (r.reviewed_at = lr.reviewed_at AND r.id > lr.id))
    )
  CROSS JOIN (
    SELECT ${INCIDENT_SEVERITIES.map(
      severity =>
        `SUM(CASE WHEN i.severity = '${severity}' THEN 1 ELSE 0 END) AS ${incidentColumn(
          severity,
        )}`,
    ).join(',\n      ')}
    FROM incident_entities ie
    JOIN incidents i ON i.id = ie.incident_id
    WHERE ie.entity_ref = ? AND i.status <> 'closed'
  ) oi
  WHERE e.entity_ref = ? AND e.removed_at IS NULL`;

/**
 * The controls of one entity with their latest tests and statuses; the
 * active exception shown is the one that lasts longest (then the greatest
 * id). Bindings: now for the exception, now for the status, the entity ref.
 */
const ENTITY_CONTROLS_SQL = `
  SELECT c.*,
    lt.result AS last_result,
    lt.tested_at AS last_tested_at,
    lt.due_at AS next_due_at,
    lt.evidence_url AS last_evidence_url,
    ax.id AS exception_id,
    ax.expires_at AS exception_expires_at,
    ax.justification AS exception_justification,
    ${CONTROL_STATUS_CASE} AS status
  FROM applicability a
  JOIN controls c ON c.control_ref = a.control_ref
  LEFT JOIN latest_tests lt ON lt.entity_ref = a.entity_ref
    AND lt.control_ref = a.control_ref
  LEFT JOIN exceptions ax ON ax.entity_ref = a.entity_ref
    AND ax.control_ref = a.control_ref
    AND ax.status = 'approved'
    AND ax.expires_at > ?
    AND NOT EXISTS (
      SELECT 1 FROM exceptions y
      WHERE y.entity_ref = ax.entity_ref
        AND y.control_ref = ax.control_ref
        AND y.status = 'approved'
        AND (y.expires_at > ax.expires_at
          OR (y.expires_at = ax.expires_at AND y.id > ax.id))
    )
  WHERE a.entity_ref = ?
  ORDER BY a.control_ref`;

type NewTestRecord = TestRecordInput & { testedAt: string; method: string };

function countsOf(row: Record<string, unknown>): ControlStatusCounts {
  const counts = emptyControlCounts();
  for (const status of CONTROL_STATUSES) counts[status] = Number(row[status]);
  return counts;
}

function incidentCountsOf(row: Record<string, unknown>) {
  const counts = emptyIncidentCounts();
  for (const severity of INCIDENT_SEVERITIES) {
    counts[severity] = Number(row[incidentColumn(severity)]);
  }
  return counts;
}

function rowToPosture(row: PostureRow): EntityPosture {
  const counts = countsOf(row);
  const openIncidents = incidentCountsOf(row);
  const score = postureScore({
    counts,
    review: row.review_status,
    openIncidents,
  });
  return {
    entityRef: row.entity_ref,
    title: optional(row.title),
    kind: row.kind,
    owner: optional(row.owner),
    system: optional(row.system),
    domain: optional(row.domain),
    riskTier: Number(row.risk_tier),
    counts,
    review: {
      status: row.review_status,
      lastReviewedAt: toOptionalIso(row.last_reviewed_at),
      lastOutcome: optional(row.last_outcome) as ReviewOutcome | undefined,
      nextDueAt: toOptionalIso(row.review_due_at),
      riskTier: Number(row.risk_tier),
    },
    openIncidents,
    score,
    grade: postureGrade(score),
  };
}

/** Due date of a test, or null while the control (and so its cadence) is unknown. */
function dueAtOf(testedAt: DbMillis, cadence: string | undefined) {
  return cadence === undefined
    ? null
    : toMillis(addDuration(Number(testedAt), cadence));
}

function pairKey(entityRef: string, controlRef: string): string {
  return JSON.stringify([entityRef, controlRef]);
}

/**
 * The knex implementation of {@link SecurityStore}. Instants are stored as
 * epoch milliseconds and exposed as ISO-8601 UTC strings.
 */
export class DatabaseSecurityStore implements SecurityStore {
  /** Connects to the plugin's database and runs its migrations unless told to skip them. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseSecurityStore> {
    return new DatabaseSecurityStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async replaceCatalogSnapshot(options: {
    controls: ControlSummary[];
    entities: StoredEntity[];
    now: Date;
  }): Promise<ApplicabilityRefreshResult> {
    const now = options.now.getTime();
    // Rows are written in key order so that two replicas running this at
    // once take row locks in the same order and wait instead of deadlocking.
    const controls = [...options.controls].sort(byKey(c => c.ref));
    const entities = [...options.entities].sort(byKey(e => e.entityRef));
    const controlRefs = new Set(controls.map(c => c.ref));
    const entityRefs = new Set(entities.map(e => e.entityRef));

    return this.db.transaction(async tx => {
      const previousCadences = new Map(
        (await tx<ControlRow>('controls').select('control_ref', 'cadence')).map(
          row => [row.control_ref, row.cadence],
        ),
      );

      const controlRows: ControlRow[] = controls.map(control => ({
        control_ref: control.ref,
        title: control.title,
        description: control.description ?? null,
        owner: control.owner,
        category: control.category,
        criticality: control.criticality,
        cadence: control.cadence,
        method: control.method,
        procedure: control.procedure ?? null,
        frameworks: JSON.stringify(control.frameworks ?? []),
        updated_at: now,
      }));
      for (const rows of chunkRows(controlRows)) {
        await tx('controls').insert(rows).onConflict('control_ref').merge();
      }
      const goneControls = [...previousCadences.keys()].filter(
        ref => !controlRefs.has(ref),
      );
      // Every entity whose counts may change, marked once at the end.
      const touched = new Set<string>();
      for (const refs of chunk(goneControls, IN_LIST_SIZE)) {
        for (const row of await tx('applicability')
          .whereIn('control_ref', refs)
          .distinct('entity_ref')) {
          touched.add(row.entity_ref);
        }
        await tx('applicability').whereIn('control_ref', refs).delete();
        await tx('controls').whereIn('control_ref', refs).delete();
      }

      const activeBefore = (
        await tx<EntityRow>('entities')
          .whereNull('removed_at')
          .select('entity_ref')
      ).map(row => row.entity_ref);
      const entityRows: EntityRow[] = entities.map(entity => ({
        entity_ref: entity.entityRef,
        kind: entity.kind,
        title: entity.title ?? null,
        owner: entity.owner ?? null,
        system: entity.system ?? null,
        domain: entity.domain ?? null,
        risk_tier: entity.riskTier,
        removed_at: null,
        updated_at: now,
      }));
      for (const rows of chunkRows(entityRows)) {
        await tx('entities').insert(rows).onConflict('entity_ref').merge();
      }
      const removed = activeBefore.filter(ref => !entityRefs.has(ref)).sort();
      for (const ref of removed) touched.add(ref);
      for (const refs of chunk(removed, IN_LIST_SIZE)) {
        await tx('entities')
          .whereIn('entity_ref', refs)
          .whereNull('removed_at')
          .update({ removed_at: now, updated_at: now });
        // Removed entities stop counting; their tests, reviews and incidents stay.
        await tx('applicability').whereIn('entity_ref', refs).delete();
      }

      const { pairCount, changed } = await this.replaceApplicability(
        tx,
        entities,
        controlRefs,
      );
      for (const ref of changed) touched.add(ref);

      const cadenceChanged = controls.filter(
        control => previousCadences.get(control.ref) !== control.cadence,
      );
      for (const control of cadenceChanged) {
        for (const ref of await this.recomputeDueDates(tx, control)) {
          touched.add(ref);
        }
      }
      await this.markCountsStale(tx, touched);

      return {
        entityCount: entities.length,
        controlCount: controls.length,
        pairCount,
        removedEntityCount: removed.length,
      };
    });
  }

  /**
   * Rewrites the applicability of the entities whose control set changed,
   * and returns those entities.
   */
  private async replaceApplicability(
    tx: Knex.Transaction,
    entities: StoredEntity[],
    knownControls: Set<string>,
  ): Promise<{ pairCount: number; changed: string[] }> {
    const existing = new Map<string, Set<string>>();
    for (const row of await tx('applicability').select(
      'entity_ref',
      'control_ref',
    )) {
      const set = existing.get(row.entity_ref) ?? new Set<string>();
      set.add(row.control_ref);
      existing.set(row.entity_ref, set);
    }

    let pairCount = 0;
    const changed: string[] = [];
    const replaced: string[] = [];
    const inserts: Array<{ entity_ref: string; control_ref: string }> = [];
    for (const entity of entities) {
      const wanted = new Set(
        entity.controlRefs.filter(ref => knownControls.has(ref)),
      );
      pairCount += wanted.size;
      const current = existing.get(entity.entityRef) ?? new Set<string>();
      const same =
        current.size === wanted.size &&
        [...wanted].every(ref => current.has(ref));
      if (same) continue;
      changed.push(entity.entityRef);
      if (current.size > 0) replaced.push(entity.entityRef);
      for (const controlRef of [...wanted].sort()) {
        inserts.push({ entity_ref: entity.entityRef, control_ref: controlRef });
      }
    }

    for (const refs of chunk(replaced, IN_LIST_SIZE)) {
      await tx('applicability').whereIn('entity_ref', refs).delete();
    }
    for (const rows of chunkRows(inserts)) {
      // Ignore rows another replica wrote meanwhile: the result is the same.
      await tx('applicability')
        .insert(rows)
        .onConflict(['entity_ref', 'control_ref'])
        .ignore();
    }
    return { pairCount, changed };
  }

  /**
   * Sets due_at of the latest tests of a control after its cadence changed;
   * returns the entities of those tests.
   */
  private async recomputeDueDates(
    tx: Knex.Transaction,
    control: ControlSummary,
  ): Promise<string[]> {
    const rows = await tx<LatestTestRow>('latest_tests')
      .where('control_ref', control.ref)
      .select('entity_ref', 'tested_at')
      .orderBy('entity_ref');
    for (const part of chunk(rows, 400)) {
      const cases = part.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
      const bindings = part.flatMap(row => [
        row.entity_ref,
        dueAtOf(row.tested_at, control.cadence),
      ]);
      await tx('latest_tests')
        .where('control_ref', control.ref)
        .whereIn(
          'entity_ref',
          part.map(row => row.entity_ref),
        )
        .update({
          due_at: tx.raw(`CASE ?? ${cases} END`, ['entity_ref', ...bindings]),
        });
    }
    return rows.map(row => row.entity_ref);
  }

  /**
   * Marks the cached counts of entities as out of date, inside the writer's
   * transaction: a recompute that read the data before this write then
   * finds the version changed and leaves the row stale (see
   * {@link DatabaseSecurityStore.refreshPostureCounts}). Rows are written in
   * key order, last in every writer, so that writers and recomputes take
   * the row locks in one order.
   */
  private async markCountsStale(
    tx: Knex.Transaction,
    entityRefs: Iterable<string>,
  ): Promise<void> {
    const rows = [...new Set(entityRefs)]
      .sort()
      .map(ref => ({ entity_ref: ref, version: 1 }));
    for (const part of chunkRows(rows)) {
      await tx('posture_counts')
        .insert(part)
        .onConflict('entity_ref')
        .merge({ version: tx.raw('?? + 1', ['posture_counts.version']) });
    }
  }

  /**
   * Recomputes, in one statement, the cached counts of the entities whose
   * row is missing, stale or not valid at now, from the same status SQL as
   * every other read. A row is only written if its version is still the one
   * the statement read: a write that committed after the statement's
   * snapshot has bumped it (or holds its lock until it has, and
   * PostgreSQL's ON CONFLICT re-checks the latest row), so the row stays
   * stale rather than becoming wrong. Two replicas recomputing at once take
   * the row locks in entity_ref order and both write the same counts.
   */
  private async refreshPostureCounts(now: number): Promise<void> {
    const { sql, bindings } = uncountedPostureQuery(this.db, { now }).toSQL();
    const columns = [
      'entity_ref',
      ...CONTROL_STATUSES,
      'valid_from',
      'valid_until',
      'version',
    ];
    const updates = [
      ...CONTROL_STATUSES,
      'valid_from',
      'valid_until',
      'counted_version',
    ];
    // With nothing to recompute the statement takes a few milliseconds, but
    // its estimates (every entity) make PostgreSQL spend ~40 ms compiling it.
    // `WHERE true` resolves SQLite's ambiguity between a join's ON and the
    // upsert's ON CONFLICT.
    await this.withPlanner(['jit = off'], client =>
      client.raw(
        `INSERT INTO posture_counts (${columns.join(', ')}, counted_version)
      SELECT ${columns.join(', ')}, version FROM (${sql}) AS counted
      WHERE true ORDER BY entity_ref
      ON CONFLICT (entity_ref) DO UPDATE SET ${updates
        .map(column => `${column} = excluded.${column}`)
        .join(', ')}
      WHERE posture_counts.version = excluded.version`,
        bindings,
      ),
    );
  }

  /**
   * Runs queries with PostgreSQL planner settings, in a transaction so that
   * they end with it; on SQLite, as they are.
   */
  private async withPlanner<T>(
    settings: string[],
    run: (client: Knex) => Promise<T>,
  ): Promise<T> {
    if (this.db.client.dialect !== 'postgresql') return run(this.db);
    return this.db.transaction(async tx => {
      for (const setting of settings) await tx.raw(`SET LOCAL ${setting}`);
      return run(tx);
    });
  }

  async listControls(): Promise<ControlListItem[]> {
    const now = Date.now();
    const controls = await this.db<ControlRow>('controls').orderBy(
      'control_ref',
    );
    const statusRows = await this.db
      .from(pairStatusQuery(this.db, { now }).as('ps'))
      .groupBy('control_ref', 'status')
      .select('control_ref', 'status')
      .count({ count: '*' });
    const countsByControl = new Map<string, ControlStatusCounts>();
    for (const row of statusRows) {
      const counts =
        countsByControl.get(row.control_ref) ?? emptyControlCounts();
      counts[row.status as ControlStatus] = Number(row.count);
      countsByControl.set(row.control_ref, counts);
    }
    return controls.map(row => {
      const counts =
        countsByControl.get(row.control_ref) ?? emptyControlCounts();
      return {
        ...rowToControl(row),
        applicableCount: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
      };
    });
  }

  async getControlCoverage(options: {
    controlRef: string;
    now: Date;
  }): Promise<ControlCoverage | undefined> {
    const control = await this.db<ControlRow>('controls')
      .where('control_ref', options.controlRef)
      .first();
    if (!control) return undefined;
    const now = options.now.getTime();
    const rows: Array<{
      entity_ref: string;
      title: string | null;
      owner: string | null;
      tested_at: DbMillis | null;
      due_at: DbMillis | null;
      status: ControlStatus;
    }> = await joinPairState(
      this.db,
      this.db('applicability as a').join(
        'entities as e',
        'e.entity_ref',
        'a.entity_ref',
      ),
      { now, controlRef: options.controlRef },
    )
      .whereNull('e.removed_at')
      .where('a.control_ref', options.controlRef)
      .orderBy('a.entity_ref')
      .select(
        'a.entity_ref',
        'e.title',
        'e.owner',
        'lt.tested_at',
        'lt.due_at',
        this.db.raw('? AS ??', [controlStatusSql(this.db, now), 'status']),
      );
    return {
      control: rowToControl(control),
      entities: rows.map(row => ({
        entityRef: row.entity_ref,
        title: optional(row.title),
        owner: optional(row.owner),
        status: row.status,
        lastTestedAt: toOptionalIso(row.tested_at),
        nextDueAt: toOptionalIso(row.due_at),
      })),
    };
  }

  async getEntity(entityRef: string): Promise<StoredEntity | undefined> {
    const [entity] = await this.getEntities([entityRef]);
    return entity;
  }

  async getControls(controlRefs: string[]): Promise<ControlSummary[]> {
    const controls: ControlSummary[] = [];
    for (const refs of chunk([...new Set(controlRefs)], IN_LIST_SIZE)) {
      const rows = await this.db<ControlRow>('controls').whereIn(
        'control_ref',
        refs,
      );
      controls.push(...rows.map(rowToControl));
    }
    return controls;
  }

  async getEntities(entityRefs: string[]): Promise<StoredEntity[]> {
    const entities: StoredEntity[] = [];
    for (const refs of chunk([...new Set(entityRefs)], IN_LIST_SIZE)) {
      const [rows, pairs] = await Promise.all([
        this.db<EntityRow>('entities')
          .whereIn('entity_ref', refs)
          .whereNull('removed_at')
          .orderBy('entity_ref'),
        this.db('applicability')
          .whereIn('entity_ref', refs)
          .orderBy(['entity_ref', 'control_ref'])
          .select('entity_ref', 'control_ref'),
      ]);
      const controlRefs = new Map<string, string[]>();
      for (const pair of pairs) {
        const list = controlRefs.get(pair.entity_ref);
        if (list) list.push(pair.control_ref);
        else controlRefs.set(pair.entity_ref, [pair.control_ref]);
      }
      for (const row of rows) {
        entities.push({
          entityRef: row.entity_ref,
          kind: row.kind,
          title: optional(row.title),
          owner: optional(row.owner),
          system: optional(row.system),
          domain: optional(row.domain),
          riskTier: Number(row.risk_tier),
          controlRefs: controlRefs.get(row.entity_ref) ?? [],
        });
      }
    }
    return entities;
  }

  async addTestRecords(options: {
    records: NewTestRecord[];
    tester: string;
    now: Date;
  }): Promise<Array<{ record: TestRecord; created: boolean }>> {
    const { records, tester } = options;
    if (records.length === 0) return [];
    const recordedAt = options.now.getTime();

    return this.db.transaction(async tx => {
      const cadences = new Map<string, string>();
      const controlRefs = [...new Set(records.map(r => r.controlRef))];
      for (const refs of chunk(controlRefs, IN_LIST_SIZE)) {
        const rows = await tx<ControlRow>('controls')
          .whereIn('control_ref', refs)
          .select('control_ref', 'cadence');
        for (const row of rows) cadences.set(row.control_ref, row.cadence);
      }

      // A repeated external id within the batch resolves to its first use.
      const rows: TestRecordRow[] = [];
      const rowIndexOf: number[] = [];
      const firstUse = new Map<string, number>();
      for (const input of records) {
        const known =
          input.externalId !== undefined
            ? firstUse.get(input.externalId)
            : undefined;
        if (known !== undefined) {
          rowIndexOf.push(known);
          continue;
        }
        if (input.externalId !== undefined) {
          firstUse.set(input.externalId, rows.length);
        }
        rowIndexOf.push(rows.length);
        rows.push({
          id: randomUUID(),
          control_ref: input.controlRef,
          entity_ref: input.entityRef,
          result: input.result,
          tested_at: toMillis(input.testedAt),
          tester,
          method: input.method,
          evidence_url: input.evidenceUrl ?? null,
          notes: input.notes ?? null,
          external_id: input.externalId ?? null,
          recorded_at: recordedAt,
        });
      }

      // Inserting in external-id order keeps concurrent batches that share
      // ids from deadlocking on PostgreSQL's unique index.
      const ordered = [...rows].sort(byKey(row => row.external_id ?? ''));
      const inserted = new Set<string>();
      for (const part of chunkRows(ordered)) {
        const ids: Array<{ id: string }> = await tx('test_records')
          .insert(part)
          .onConflict('external_id')
          .ignore()
          .returning('id');
        for (const { id } of ids) inserted.add(id);
      }

      // A row that was not inserted lost to an earlier use of its external id.
      const first = new Map<string, TestRecordRow>();
      const duplicates = rows.flatMap(row =>
        inserted.has(row.id) ? [] : [row.external_id!],
      );
      for (const ids of chunk(duplicates, IN_LIST_SIZE)) {
        for (const row of await tx<TestRecordRow>('test_records').whereIn(
          'external_id',
          ids,
        )) {
          first.set(row.external_id!, row);
        }
      }
      const outcomes = rows.map(row =>
        inserted.has(row.id)
          ? { row, created: true }
          : { row: first.get(row.external_id!)!, created: false },
      );

      const createdRows = outcomes.filter(o => o.created).map(o => o.row);
      await this.advanceLatestTests(tx, createdRows, cadences);
      await this.markCountsStale(
        tx,
        createdRows.map(row => row.entity_ref),
      );

      const seen = new Set<number>();
      return rowIndexOf.map(index => {
        const outcome = outcomes[index];
        const created = outcome.created && !seen.has(index);
        seen.add(index);
        return { record: rowToTestRecord(outcome.row), created };
      });
    });
  }

  /**
   * Moves latest_tests forward to the new records; a row is only replaced by
   * a strictly newer test, so the outcome does not depend on insert order.
   */
  private async advanceLatestTests(
    tx: Knex.Transaction,
    created: TestRecordRow[],
    cadences: Map<string, string>,
  ): Promise<void> {
    const newest = new Map<string, TestRecordRow>();
    for (const row of created) {
      const key = pairKey(row.entity_ref, row.control_ref);
      const current = newest.get(key);
      if (!current || Number(row.tested_at) > Number(current.tested_at)) {
        newest.set(key, row);
      }
    }
    const latest: LatestTestRow[] = [...newest.entries()]
      .sort(byKey(([key]) => key))
      .map(([, row]) => ({
        entity_ref: row.entity_ref,
        control_ref: row.control_ref,
        record_id: row.id,
        result: row.result,
        tested_at: row.tested_at,
        due_at: dueAtOf(row.tested_at, cadences.get(row.control_ref)),
        evidence_url: row.evidence_url,
      }));
    for (const part of chunkRows(latest)) {
      await tx('latest_tests')
        .insert(part)
        .onConflict(['entity_ref', 'control_ref'])
        .merge(['record_id', 'result', 'tested_at', 'due_at', 'evidence_url'])
        .where('latest_tests.tested_at', '<', tx.ref('excluded.tested_at'));
    }
  }

  async listTestRecords(query: TestRecordQuery): Promise<Page<TestRecord>> {
    const { limit, offset } = pageOf(query);
    const base = this.db<TestRecordRow>('test_records');
    if (query.entityRef) base.where('entity_ref', query.entityRef);
    if (query.controlRef) base.where('control_ref', query.controlRef);
    const [items, total] = await Promise.all([
      base
        .clone()
        .orderBy([
          { column: 'tested_at', order: 'desc' },
          { column: 'recorded_at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return { items: items.map(rowToTestRecord), totalCount: countOf(total) };
  }

  /**
   * One entity in two small indexed queries, run side by side: the entity
   * with its latest review and open incidents, and its controls with their
   * latest tests, active exceptions and statuses. The counts are tallied
   * from those statuses, so they agree with the list by construction.
   */
  /**
   * A raw query that runs on every request. On PostgreSQL it is a named
   * prepared statement, so each connection plans it once: planning these
   * queries costs several times their execution, and at hundreds of
   * requests a second that alone would take a core. Elsewhere, plain raw.
   */
  private async preparedRaw(
    name: string,
    sql: string,
    bindings: readonly Knex.RawBinding[],
  ): Promise<unknown> {
    const query = this.db.raw(sql, bindings);
    if (this.db.client.dialect !== 'postgresql') return query;
    const native = query.toSQL().toNative();
    const connection = await this.db.client.acquireConnection();
    try {
      return await connection.query({
        name,
        text: native.sql,
        values: native.bindings,
      });
    } finally {
      await this.db.client.releaseConnection(connection);
    }
  }

  async getEntityPosture(options: {
    entityRef: string;
    now: Date;
    reviewDueSoon: string;
  }): Promise<EntityPosture | undefined> {
    const { entityRef } = options;
    const { now, dueSoonAt } = this.postureTimes(options);
    const [entityRows, controlRows] = await Promise.all([
      this.preparedRaw('secmgmt_entity_posture', ENTITY_POSTURE_SQL, [
        'lr.next_due_at',
        'lr.next_due_at',
        now,
        'lr.next_due_at',
        dueSoonAt,
        entityRef,
        entityRef,
      ]),
      this.preparedRaw('secmgmt_entity_controls', ENTITY_CONTROLS_SQL, [
        now,
        now,
        entityRef,
      ]),
    ]);
    const [row] = rawRows<PostureRow>(entityRows);
    if (!row) return undefined;
    const counts = emptyControlCounts();
    const controls = rawRows<ControlPostureRow>(controlRows).map(
      (control): ControlPosture => {
        counts[control.status]++;
        return {
          control: rowToControl(control),
          status: control.status,
          lastResult: optional(control.last_result) as
            | ControlPosture['lastResult']
            | undefined,
          lastTestedAt: toOptionalIso(control.last_tested_at),
          nextDueAt: toOptionalIso(control.next_due_at),
          evidenceUrl: optional(control.last_evidence_url),
          exception:
            control.exception_id === null
              ? undefined
              : {
                  id: control.exception_id,
                  expiresAt: toIso(control.exception_expires_at!),
                  justification: control.exception_justification!,
                },
        };
      },
    );
    for (const status of CONTROL_STATUSES) row[status] = counts[status];
    return { ...rowToPosture(row), controls };
  }

  async getPostureBatch(options: {
    entityRefs: string[];
    now: Date;
    reviewDueSoon: string;
  }): Promise<EntityPosture[]> {
    const byRef = new Map<string, EntityPosture>();
    for (const refs of chunk([...new Set(options.entityRefs)], IN_LIST_SIZE)) {
      const rows: PostureRow[] = await postureQuery(this.db, {
        ...this.postureTimes(options),
        entityRefs: refs,
      }).select('*');
      for (const row of rows) byRef.set(row.entity_ref, rowToPosture(row));
    }
    return options.entityRefs.flatMap(ref => {
      const posture = byRef.get(ref);
      return posture ? [posture] : [];
    });
  }

  async listPosture(options: {
    query: PostureListQuery;
    now: Date;
    reviewDueSoon: string;
  }): Promise<Page<EntityPosture>> {
    const { query } = options;
    const { limit, offset } = pageOf(query);
    const base = postureQuery(this.db, this.postureTimes(options));
    if (query.controlStatus?.length) {
      const statuses = query.controlStatus;
      base.where(group => {
        for (const status of statuses) group.orWhere(status, '>', 0);
      });
    }
    if (query.reviewStatus?.length) {
      base.whereIn('review_status', query.reviewStatus);
    }
    for (const column of ['owner', 'system', 'domain', 'kind'] as const) {
      const value = query[column];
      if (value !== undefined) base.where(column, value);
    }

    const [rows, total] = await Promise.all([
      base
        .clone()
        .select('*')
        .orderByRaw('(?? + ??) DESC, ?? ASC', [
          'failing',
          'overdue',
          'entity_ref',
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return {
      items: (rows as PostureRow[]).map(rowToPosture),
      totalCount: countOf(total),
    };
  }

  /**
   * Control statuses summed per group from the per-entity counts, brought
   * up to date first; entities counted per group and review status, and
   * open incidents per group, as two more grouped queries.
   */
  async rollup(options: {
    by: RollupDimension;
    now: Date;
    reviewDueSoon: string;
  }): Promise<PostureRollup> {
    const column = ROLLUP_COLUMNS[options.by];
    const db = this.db;
    const { now, dueSoonAt } = this.postureTimes(options);

    await this.refreshPostureCounts(now);
    // The rows fresh at now, and the rest (those a concurrent write made
    // stale since the refresh) computed from their pairs, in one statement:
    // the sums are exactly those of the pairs in its snapshot.
    const countStatuses = (
      client: Knex,
    ): Promise<Array<Record<string, unknown>>> =>
      client
        .from(
          client('posture_counts as pc')
            .join('entities as e', 'e.entity_ref', 'pc.entity_ref')
            .whereNull('e.removed_at')
            .where(freshCountsSql(client, now))
            .select(client.ref(`e.${column}`).as('key'), ...CONTROL_STATUSES)
            .unionAll(
              client
                .from(uncountedPostureQuery(client, { now }).as('uc'))
                .join('entities as e', 'e.entity_ref', 'uc.entity_ref')
                .select(
                  client.ref(`e.${column}`).as('key'),
                  ...CONTROL_STATUSES.map(status => `uc.${status}`),
                ),
            )
            .as('counted'),
        )
        .groupBy('key')
        .select(
          'key',
          ...CONTROL_STATUSES.map(status =>
            client.raw('SUM(??) AS ??', [status, status]),
          ),
        );
    // PostgreSQL underestimates the fresh rows (version = counted_version)
    // and would look up each entity by index; hash joins are 3× faster.
    const statusQuery = this.withPlanner(
      ['enable_nestloop = off', 'jit = off'],
      countStatuses,
    );
    const reviewQuery: Promise<
      Array<{
        key: string | null;
        review_status: ReviewStatus;
        count: DbMillis;
      }>
    > = db
      .from(
        db('entities as e')
          .leftJoin(
            latestReviewQuery(db).as('lr'),
            'lr.entity_ref',
            'e.entity_ref',
          )
          .whereNull('e.removed_at')
          .select(
            db.ref(`e.${column}`).as('key'),
            db.raw('? AS ??', [
              reviewStatusSql(db, { column: 'lr.next_due_at', now, dueSoonAt }),
              'review_status',
            ]),
          )
          .as('er'),
      )
      .groupBy('key', 'review_status')
      .select('key', 'review_status')
      .count({ count: '*' });
    // An incident that hits several entities of a group counts once there.
    const incidentQuery: Promise<
      Array<{ key: string | null; severity: IncidentSeverity; count: DbMillis }>
    > = db('incidents as i')
      .join('incident_entities as ie', 'ie.incident_id', 'i.id')
      .join('entities as e', 'e.entity_ref', 'ie.entity_ref')
      .whereNull('e.removed_at')
      .whereNot('i.status', 'closed')
      .groupBy(`e.${column}`, 'i.severity')
      .select(db.ref(`e.${column}`).as('key'), 'i.severity')
      .countDistinct({ count: 'i.id' });
    const [statusRows, reviewRows, incidentRows] = await Promise.all([
      statusQuery,
      reviewQuery,
      incidentQuery,
    ]);

    const groups = new Map<string | null, PostureRollupItem>();
    const groupOf = (key: string | null) => {
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          entityCount: 0,
          counts: emptyControlCounts(),
          review: {
            current: 0,
            'due-soon': 0,
            overdue: 0,
            'never-reviewed': 0,
          },
          openIncidents: emptyIncidentCounts(),
          score: null,
        };
        groups.set(key, group);
      }
      return group;
    };
    // Every group has entities, so the entity counts name all groups.
    for (const row of reviewRows) {
      const group = groupOf(row.key);
      group.review[row.review_status] = Number(row.count);
      group.entityCount += Number(row.count);
    }
    for (const row of statusRows) {
      groupOf(row.key as string | null).counts = countsOf(row);
    }
    for (const row of incidentRows) {
      groupOf(row.key).openIncidents[row.severity] = Number(row.count);
    }
    const items = [...groups.values()];
    for (const item of items) {
      // A group's score is its control coverage only: review and incident
      // penalties are per entity and are shown as counts beside it.
      item.score = postureScore({
        counts: item.counts,
        review: 'current',
        openIncidents: emptyIncidentCounts(),
      });
    }
    items.sort((a, b) => {
      if (a.key === b.key) return 0;
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      return a.key < b.key ? -1 : 1;
    });
    return { by: options.by, items };
  }

  async schedule(options: {
    query: Required<Pick<ScheduleQuery, 'from' | 'to'>> & ScheduleQuery;
    now: Date;
  }): Promise<TestingSchedule> {
    const { query } = options;
    const now = options.now.getTime();
    const from = toMillis(query.from);
    const to = toMillis(query.to);
    const db = this.db;

    const testQuery = db('applicability as a')
      .join('entities as e', 'e.entity_ref', 'a.entity_ref')
      .join('controls as c', 'c.control_ref', 'a.control_ref')
      .leftJoin('latest_tests as lt', join =>
        join
          .on('lt.entity_ref', 'a.entity_ref')
          .andOn('lt.control_ref', 'a.control_ref'),
      )
      .whereNull('e.removed_at')
      // An excepted control is accepted risk, not a test to schedule.
      .whereNotExists(
        db('exceptions as x')
          .whereRaw('?? = ??', ['x.entity_ref', 'a.entity_ref'])
          .whereRaw('?? = ??', ['x.control_ref', 'a.control_ref'])
          .where('x.status', 'approved')
          .where('x.expires_at', '>', now)
          .select(db.raw('1')),
      )
      .where(when =>
        when
          .whereNull('lt.record_id')
          .orWhere('lt.due_at', '<=', now)
          .orWhereBetween('lt.due_at', [from, to]),
      )
      .orderByRaw('?? IS NULL, ?? ASC, ?? ASC, ?? ASC', [
        'lt.due_at',
        'lt.due_at',
        'a.entity_ref',
        'a.control_ref',
      ])
      .select(
        'a.entity_ref',
        'a.control_ref',
        db.ref('e.title').as('entity_title'),
        'e.owner',
        db.ref('c.title').as('control_title'),
        'lt.record_id',
        'lt.due_at',
      );
    if (query.owner) testQuery.where('e.owner', query.owner);

    const reviewQuery = db('entities as e')
      .leftJoin(latestReviewQuery(db).as('lr'), 'lr.entity_ref', 'e.entity_ref')
      .whereNull('e.removed_at')
      .where(when =>
        when
          .whereNull('lr.next_due_at')
          .orWhere('lr.next_due_at', '<=', now)
          .orWhereBetween('lr.next_due_at', [from, to]),
      )
      .orderByRaw('?? IS NULL, ?? ASC, ?? ASC', [
        'lr.next_due_at',
        'lr.next_due_at',
        'e.entity_ref',
      ])
      .select(
        'e.entity_ref',
        'e.title',
        'e.owner',
        'e.risk_tier',
        'lr.next_due_at',
      );
    if (query.owner) reviewQuery.where('e.owner', query.owner);

    const [testRows, reviewRows] = await Promise.all([testQuery, reviewQuery]);

    const tests: ScheduledTest[] = testRows.map(row => {
      let state: ScheduledTest['state'] = 'due';
      if (row.record_id === null) state = 'untested';
      else if (Number(row.due_at) <= now) state = 'overdue';
      return {
        entityRef: row.entity_ref,
        entityTitle: optional(row.entity_title),
        owner: optional(row.owner),
        controlRef: row.control_ref,
        controlTitle: row.control_title,
        dueAt: toOptionalIso(row.due_at),
        state,
      };
    });
    const reviews: ScheduledReview[] = reviewRows.map(row => {
      let state: ScheduledReview['state'] = 'due';
      if (row.next_due_at === null) state = 'never-reviewed';
      else if (Number(row.next_due_at) <= now) state = 'overdue';
      return {
        entityRef: row.entity_ref,
        entityTitle: optional(row.title),
        owner: optional(row.owner),
        riskTier: Number(row.risk_tier),
        dueAt: toOptionalIso(row.next_due_at),
        state,
      };
    });
    return { from: toIso(from), to: toIso(to), tests, reviews };
  }

  private postureTimes(options: { now: Date; reviewDueSoon: string }) {
    const now = options.now.getTime();
    return {
      now,
      dueSoonAt: toMillis(addDuration(now, options.reviewDueSoon)),
    };
  }

  async createIncident(options: {
    input: IncidentInput;
    actor: Actor;
    now: Date;
  }): Promise<Incident> {
    const { input, actor } = options;
    const now = options.now.getTime();
    const id = randomUUID();
    await this.db.transaction(async tx => {
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
    });
    return (await this.getIncident({ id }))!;
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
    review: PostIncidentReview;
    version: number;
    actor: Actor;
    now: Date;
  }): Promise<Incident> {
    const { id, version, actor } = options;
    const now = options.now.getTime();
    const review: PostIncidentReview = {
      rootCause: options.review.rootCause,
      lessons: options.review.lessons,
      remediationActions: options.review.remediationActions,
    };
    await this.db.transaction(async tx => {
      const current = await this.currentIncident(tx, id, version);
      await this.bumpVersion(tx, id, version, {
        review: JSON.stringify(review),
        updated_at: now,
      });
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
        },
      });
    });
    return (await this.getIncident({ id }))!;
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
    return rows.map(row =>
      rowToIncident(
        row,
        entities.get(row.id) ?? [],
        controls.get(row.id) ?? [],
      ),
    );
  }

  async createReview(options: {
    input: ReviewInput & { reviewedAt: string; nextDueAt: string };
    reviewer: string;
  }): Promise<SecurityReview> {
    const { input } = options;
    const row: ReviewRow = {
      id: randomUUID(),
      entity_ref: input.entityRef,
      reviewer: options.reviewer,
      outcome: input.outcome,
      findings: input.findings,
      conditions: JSON.stringify(input.conditions ?? []),
      reviewed_at: toMillis(input.reviewedAt),
      next_due_at: toMillis(input.nextDueAt),
    };
    await this.db('reviews').insert(row);
    return rowToReview(row);
  }

  async listReviews(query: ReviewQuery): Promise<Page<SecurityReview>> {
    const { limit, offset } = pageOf(query);
    const base = this.db<ReviewRow>('reviews');
    if (query.entityRef) base.where('entity_ref', query.entityRef);
    const [rows, total] = await Promise.all([
      base
        .clone()
        .orderBy([
          { column: 'reviewed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset),
      base.clone().count({ count: '*' }).first(),
    ]);
    return { items: rows.map(rowToReview), totalCount: countOf(total) };
  }

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

  async getException(id: string): Promise<SecurityException | undefined> {
    const row = await this.db<ExceptionRow>('exceptions')
      .where('id', id)
      .first();
    return row ? rowToException(row) : undefined;
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
        await this.markCountsStale(tx, [current.entityRef]);
      }
      return count;
    });
    const after = (await this.getException(id))!;
    if (updated === 0) {
      throw new ConflictError(`exception ${id} is already ${after.status}`);
    }
    return after;
  }

  async listExceptions(
    query: ExceptionQuery,
  ): Promise<Page<SecurityException>> {
    const { limit, offset } = pageOf(query);
    const base = this.db<ExceptionRow>('exceptions');
    if (query.status?.length) base.whereIn('status', query.status);
    if (query.entityRef) base.where('entity_ref', query.entityRef);
    if (query.controlRef) base.where('control_ref', query.controlRef);
    if (query.expiresBefore) {
      base.where('expires_at', '<', toMillis(query.expiresBefore));
    }
    const [rows, total] = await Promise.all([
      base
        .clone()
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
      await this.markCountsStale(
        tx,
        expired.map(row => row.entity_ref),
      );
      return expired;
    });
    return rows.map(rowToException).sort(byKey(e => e.id));
  }
}
