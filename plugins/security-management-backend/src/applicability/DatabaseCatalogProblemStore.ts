import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { chunk, DbMillis, IN_LIST_SIZE, optional } from '../lib/rows';
import { CatalogProblem, CatalogProblemStore } from './CatalogProblemStore';

interface CatalogProblemRow {
  problem_key: string;
  type: CatalogProblem['type'];
  entity_ref: string;
  name: string | null;
  location: string | null;
  origin_location: string | null;
  conflicting_location: string | null;
  messages: string;
  first_reported_at: DbMillis;
  last_reported_at: DbMillis;
}

function problemKey(problem: {
  type: CatalogProblem['type'];
  entityRef: string;
  location?: string;
}): string {
  return problem.type === 'error'
    ? `error:${problem.entityRef}`
    : `conflict:${problem.entityRef} ${problem.location ?? ''}`;
}

function parseMessages(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** The knex implementation of {@link CatalogProblemStore}. */
export class DatabaseCatalogProblemStore implements CatalogProblemStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseCatalogProblemStore> {
    return new DatabaseCatalogProblemStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async recordCatalogProblem(problem: CatalogProblem): Promise<void> {
    const at = problem.reportedAt.getTime();
    await this.db<CatalogProblemRow>('catalog_problems')
      .insert({
        problem_key: problemKey(problem),
        type: problem.type,
        entity_ref: problem.entityRef,
        name: problem.name ?? null,
        location: problem.location ?? null,
        origin_location: problem.originLocation ?? null,
        conflicting_location: problem.conflictingLocation ?? null,
        messages: JSON.stringify(problem.messages),
        first_reported_at: at,
        last_reported_at: at,
      })
      .onConflict('problem_key')
      .merge([
        'name',
        'location',
        'origin_location',
        'conflicting_location',
        'messages',
        'last_reported_at',
      ]);
  }

  async listCatalogProblems(): Promise<CatalogProblem[]> {
    const rows = await this.db<CatalogProblemRow>('catalog_problems')
      .select()
      .orderBy([
        { column: 'last_reported_at', order: 'asc' },
        { column: 'problem_key', order: 'asc' },
      ]);
    return rows.map(row => ({
      type: row.type,
      entityRef: row.entity_ref,
      name: optional(row.name),
      location: optional(row.location),
      originLocation: optional(row.origin_location),
      conflictingLocation: optional(row.conflicting_location),
      messages: parseMessages(row.messages),
      reportedAt: new Date(Number(row.last_reported_at)),
    }));
  }

  async forgetCatalogProblems(options: {
    errorsReportedBefore: Date;
    conflicts?: Array<{ entityRef: string; location?: string }>;
  }): Promise<number> {
    let forgotten = await this.db('catalog_problems')
      .where('type', 'error')
      .where('last_reported_at', '<', options.errorsReportedBefore.getTime())
      .delete();
    const keys = (options.conflicts ?? []).map(conflict =>
      problemKey({ type: 'conflict', ...conflict }),
    );
    for (const keysChunk of chunk(keys, IN_LIST_SIZE)) {
      forgotten += await this.db('catalog_problems')
        .whereIn('problem_key', keysChunk)
        .delete();
    }
    return forgotten;
  }
}
