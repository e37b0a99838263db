import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ACTIVE_ADVISORY_FINDING_STATUSES,
  ADVISORY_SEVERITIES,
  AdvisoryFinding,
  AdvisoryFindingCounts,
  AdvisoryFindingPage,
  AdvisoryFindingStatus,
  AdvisorySeverity,
  ComponentSource,
  OperationQuery,
  OperationBody,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunkRows, countOf } from '../lib/rows';
import {
  FINDING_WITH_ADVISORY_COLUMNS,
  FindingRow,
  FindingWithAdvisoryRow,
  rowToFinding,
  rowToSource,
  SourceRow,
} from './findingRows';
import { EntityMatchResult, FindingSync, OpenedFinding } from './findingSync';

export type {
  CurrentMatch,
  EntityMatchResult,
  OpenedFinding,
} from './findingSync';

type FindingQuery = OperationQuery<'listAdvisoryFindings'>;
type Transition = OperationBody<'transitionAdvisoryFinding'>;

/**
 * Where each entity's components come from, and one finding per advisory
 * and affected entity. A sync writes what one read found, entity by entity
 * (that write path is FindingSync, in findingSync.ts); a person moves a
 * finding through its lifecycle.
 */
export class AdvisoryFindingStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<AdvisoryFindingStore> {
    return new AdvisoryFindingStore(
      await connectSecurityDatabase(options.database),
    );
  }

  readonly #sync: FindingSync;

  private constructor(private readonly db: Knex) {
    this.#sync = new FindingSync(db);
  }

  /**
   * Brings the findings of these entities in line with what matches now
   * (see FindingSync.syncEntities).
   */
  syncEntities(options: {
    results: EntityMatchResult[];
    now: Date;
  }): Promise<{ opened: OpenedFinding[]; resolved: number }> {
    return this.#sync.syncEntities(options);
  }

  /**
   * Resolves the findings of entities that no longer declare components, and
   * forgets their sources (see FindingSync.forgetEntitiesExcept).
   */
  forgetEntitiesExcept(options: {
    entityRefs: Set<string>;
    now: Date;
  }): Promise<number> {
    return this.#sync.forgetEntitiesExcept(options);
  }

  #filtered(query: FindingQuery, now: Date) {
    const statuses = query.status?.length
      ? query.status
      : ACTIVE_ADVISORY_FINDING_STATUSES;
    const builder = this.db<FindingRow>('advisory_findings as f').whereIn(
      'f.status',
      [...statuses],
    );
    if (query.severity?.length) builder.whereIn('f.severity', query.severity);
    if (query.knownExploited !== undefined) {
      builder.where('f.known_exploited', query.knownExploited);
    }
    if (query.owner) builder.where('f.owner', query.owner);
    if (query.entityRef) builder.where('f.entity_ref', query.entityRef);
    if (query.advisoryId) builder.where('f.advisory_id', query.advisoryId);
    if (query.overdue !== undefined) {
      const overdue = (q: Knex.QueryBuilder) =>
        q
          .whereIn('f.status', [...ACTIVE_ADVISORY_FINDING_STATUSES])
          .where('f.due_at', '<=', now.getTime());
      if (query.overdue) builder.where(overdue);
      else builder.whereNot(overdue);
    }
    return builder;
  }

  async #counts(
    query: FindingQuery,
    now: Date,
  ): Promise<AdvisoryFindingCounts> {
    const active = ACTIVE_ADVISORY_FINDING_STATUSES.map(() => '?').join(', ');
    const rows = (await this.#filtered(query, now)
      .select('f.severity')
      .count({ count: '*' })
      .select(
        this.db.raw(
          'sum(case when f.known_exploited then 1 else 0 end) as exploited',
        ),
        this.db.raw(
          `sum(case when f.status in (${active}) and f.due_at <= ? then 1 else 0 end) as overdue`,
          [...ACTIVE_ADVISORY_FINDING_STATUSES, now.getTime()],
        ),
      )
      .groupBy('f.severity')) as Array<{
      severity: string;
      count: unknown;
      exploited: unknown;
      overdue: unknown;
    }>;
    const bySeverity = Object.fromEntries(
      ADVISORY_SEVERITIES.map(severity => [severity, 0]),
    ) as Record<AdvisorySeverity, number>;
    const counts = { total: 0, overdue: 0, knownExploited: 0, bySeverity };
    for (const row of rows) {
      const count = countOf(row);
      bySeverity[row.severity as AdvisorySeverity] = count;
      counts.total += count;
      counts.overdue += Number(row.overdue ?? 0);
      counts.knownExploited += Number(row.exploited ?? 0);
    }
    return counts;
  }

  async listFindings(
    query: FindingQuery,
    now: Date,
  ): Promise<AdvisoryFindingPage> {
    const [counts, items] = await Promise.all([
      this.#counts(query, now),
      this.#items(query, now),
    ]);
    return { items, totalCount: counts.total, counts };
  }

  /**
   * All of one entity's findings with their counts: one query when they fit
   * in a page (they nearly always do), the counts tallied from the rows.
   */
  async listEntityFindings(
    query: FindingQuery & { entityRef: string },
    now: Date,
  ): Promise<AdvisoryFindingPage> {
    const items = await this.#items({ ...query, offset: 0 }, now);
    if (items.length >= query.limit) return this.listFindings(query, now);
    const bySeverity = Object.fromEntries(
      ADVISORY_SEVERITIES.map(severity => [severity, 0]),
    ) as Record<AdvisorySeverity, number>;
    for (const item of items) bySeverity[item.advisory.severity]++;
    const counts = {
      total: items.length,
      overdue: items.filter(item => item.overdue).length,
      knownExploited: items.filter(item => item.advisory.knownExploited).length,
      bySeverity,
    };
    return { items, totalCount: counts.total, counts };
  }

  async #items(query: FindingQuery, now: Date): Promise<AdvisoryFinding[]> {
    const rows = (await this.#filtered(query, now)
      .leftJoin('advisories as a', 'a.advisory_id', 'f.advisory_id')
      .select(FINDING_WITH_ADVISORY_COLUMNS)
      .orderByRaw(
        `case f.severity ${ADVISORY_SEVERITIES.map(
          (severity, index) => `when '${severity}' then ${index}`,
        ).join(' ')} end`,
      )
      .orderBy('f.due_at')
      .orderBy('f.entity_ref')
      .orderBy('f.advisory_id')
      .limit(query.limit)
      .offset(query.offset)) as FindingWithAdvisoryRow[];
    return rows.map(row => rowToFinding(row, now));
  }

  async listSources(entityRef: string): Promise<ComponentSource[]> {
    const rows = await this.db<SourceRow>('advisory_component_sources')
      .where('entity_ref', entityRef)
      .orderBy('kind');
    return rows.map(rowToSource);
  }

  /** The fingerprint each entity was last matched with. */
  async loadFingerprints(): Promise<Map<string, string>> {
    const rows = await this.db<{ entity_ref: string; fingerprint: string }>(
      'advisory_entity_fingerprints',
    ).select('entity_ref', 'fingerprint');
    return new Map(rows.map(row => [row.entity_ref, row.fingerprint]));
  }

  /**
   * Records what these entities were matched with, once their findings are
   * written; an entity left out (a source in error) is read in full again.
   */
  async saveFingerprints(options: {
    fingerprints: Array<{ entityRef: string; fingerprint: string }>;
    now: Date;
  }): Promise<void> {
    const rows = options.fingerprints.map(entry => ({
      entity_ref: entry.entityRef,
      fingerprint: entry.fingerprint,
      matched_at: options.now.getTime(),
    }));
    for (const part of chunkRows(rows)) {
      await this.db('advisory_entity_fingerprints')
        .insert(part)
        .onConflict('entity_ref')
        .merge(['fingerprint', 'matched_at']);
    }
  }

  /** The entities whose components were read at least once. */
  async listSourceEntityRefs(): Promise<Set<string>> {
    const rows = await this.db<SourceRow>(
      'advisory_component_sources',
    ).distinct('entity_ref');
    return new Set(rows.map(row => row.entity_ref));
  }

  /** The component sources that could not be read, for the security team. */
  async listSourceErrors(limit = 200): Promise<ComponentSource[]> {
    const rows = await this.db<SourceRow>('advisory_component_sources')
      .where('status', 'error')
      .orderBy('entity_ref')
      .orderBy('kind')
      .limit(limit);
    return rows.map(rowToSource);
  }

  async getFinding(
    id: string,
    now: Date,
  ): Promise<AdvisoryFinding | undefined> {
    const [row] = (await this.db('advisory_findings as f')
      .leftJoin('advisories as a', 'a.advisory_id', 'f.advisory_id')
      .where('f.id', id)
      .select(FINDING_WITH_ADVISORY_COLUMNS)) as FindingWithAdvisoryRow[];
    return row && rowToFinding(row, now);
  }

  /**
   * Moves a finding to another status as a person decides; a 404 for an
   * unknown id and a 409 when it already has that status.
   */
  async transitionFinding(options: {
    id: string;
    transition: Transition;
    actor: string;
    now: Date;
  }): Promise<AdvisoryFinding> {
    const { id, transition, actor, now } = options;
    const at = now.getTime();
    await this.db.transaction(async tx => {
      const [row] = await tx<FindingRow>('advisory_findings')
        .where('id', id)
        .forUpdate();
      if (!row) throw new NotFoundError(`No advisory finding with id ${id}`);
      const from = row.status as AdvisoryFindingStatus;
      if (from === transition.status) {
        throw new ConflictError(`Advisory finding ${id} is already ${from}`);
      }
      const updated = await tx('advisory_findings')
        .where({ id, status: from })
        .update({
          status: transition.status,
          justification: transition.justification ?? null,
          note: transition.note ?? null,
          updated_at: at,
          updated_by: actor,
          resolved_at: transition.status === 'resolved' ? at : null,
        });
      if (updated !== 1) {
        throw new ConflictError(
          `Advisory finding ${id} changed meanwhile; reload and try again`,
        );
      }
      await tx('advisory_finding_events').insert({
        finding_id: id,
        at,
        actor,
        from_status: from,
        to_status: transition.status,
        justification: transition.justification ?? null,
        note: transition.note ?? null,
      });
    });
    return (await this.getFinding(id, now))!;
  }
}
