import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  FrameworkImport,
  requirementRefKey,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import {
  chunk,
  chunkRows,
  DbMillis,
  IN_LIST_SIZE,
  optional,
  toIso,
  toOptionalIso,
} from '../lib/rows';
import {
  ControlMappings,
  FrameworkStore,
  ImportedFramework,
  ImportRun,
  RequirementSyncResult,
  StoredRequirement,
} from './FrameworkStore';

const REQUIREMENTS = 'framework_requirements';
const IMPORTS = 'framework_imports';

type RequirementRow = {
  requirement_ref: string;
  framework: string;
  framework_title: string;
  control_id: string;
  label: string;
  id_key: string;
  label_key: string;
  title: string | null;
  family: string | null;
  parent: string | null;
  import_id: string | null;
  synced_at: DbMillis;
};

type ImportRow = {
  import_id: string;
  framework: string;
  target: string;
  last_outcome: 'imported' | 'failed';
  last_run_at: DbMillis;
  last_imported_at: DbMillis | null;
  requirement_count: number | null;
  message: string | null;
};

function toRow(requirement: StoredRequirement, now: number): RequirementRow {
  return {
    requirement_ref: requirement.requirementRef,
    framework: requirement.framework,
    framework_title: requirement.frameworkTitle,
    control_id: requirement.controlId,
    label: requirement.label,
    id_key: requirementRefKey(requirement.controlId),
    label_key: requirementRefKey(requirement.label),
    title: requirement.title ?? null,
    family: requirement.family ?? null,
    parent: requirement.parent ?? null,
    import_id: requirement.importId ?? null,
    synced_at: now,
  };
}

function fromRow(row: RequirementRow): StoredRequirement {
  return {
    requirementRef: row.requirement_ref,
    framework: row.framework,
    frameworkTitle: row.framework_title,
    controlId: row.control_id,
    label: row.label,
    title: optional(row.title),
    family: optional(row.family),
    parent: optional(row.parent),
    importId: optional(row.import_id),
  };
}

function importFromRow(row: ImportRow): FrameworkImport {
  return {
    importId: row.import_id,
    framework: row.framework,
    target: row.target,
    lastOutcome: row.last_outcome,
    lastRunAt: toIso(row.last_run_at),
    lastImportedAt: toOptionalIso(row.last_imported_at),
    requirementCount:
      row.requirement_count === null
        ? undefined
        : Number(row.requirement_count),
    error: row.last_outcome === 'failed' ? optional(row.message) : undefined,
  };
}

/** The knex implementation of {@link FrameworkStore}. */
export class DatabaseFrameworkStore implements FrameworkStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseFrameworkStore> {
    return new DatabaseFrameworkStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async replaceRequirements(options: {
    requirements: StoredRequirement[];
    now: Date;
  }): Promise<RequirementSyncResult> {
    const now = options.now.getTime();
    const rows = options.requirements.map(requirement =>
      toRow(requirement, now),
    );
    const kept = new Set(rows.map(row => row.requirement_ref));
    return this.db.transaction(async tx => {
      const gone = (
        await tx<RequirementRow>(REQUIREMENTS).select('requirement_ref')
      )
        .map(row => row.requirement_ref)
        .filter(ref => !kept.has(ref));
      for (const refs of chunk(gone, IN_LIST_SIZE)) {
        await tx(REQUIREMENTS).whereIn('requirement_ref', refs).delete();
      }
      // Upserts, so that two syncs that overlap never fail on a key.
      for (const batch of chunkRows(rows)) {
        await tx(REQUIREMENTS)
          .insert(batch)
          .onConflict('requirement_ref')
          .merge();
      }
      return {
        requirementCount: rows.length,
        frameworkCount: new Set(rows.map(row => row.framework)).size,
        removedCount: gone.length,
      };
    });
  }

  async listRequirements(framework: string): Promise<StoredRequirement[]> {
    const rows = await this.db<RequirementRow>(REQUIREMENTS)
      .where('framework', framework)
      .orderBy('requirement_ref');
    return rows.map(fromRow);
  }

  async listImportedFrameworks(): Promise<ImportedFramework[]> {
    const rows = (await this.db(REQUIREMENTS)
      .groupBy('framework')
      .select('framework')
      .min({ title: 'framework_title' })
      .count({ count: '*' })
      .orderBy('framework')) as Array<{
      framework: string;
      title: string;
      count: unknown;
    }>;
    return rows.map(row => ({
      framework: row.framework,
      title: row.title,
      requirementCount: Number(row.count),
    }));
  }

  async listControlMappings(): Promise<ControlMappings[]> {
    const rows = (await this.db('controls')
      .select('control_ref', 'title', 'frameworks')
      .orderBy('control_ref')) as Array<{
      control_ref: string;
      title: string;
      frameworks: string;
    }>;
    return rows.map(row => ({
      controlRef: row.control_ref,
      title: row.title,
      frameworks: JSON.parse(row.frameworks),
    }));
  }

  async recordImportRun(run: ImportRun): Promise<void> {
    const row: ImportRow = {
      import_id: run.importId,
      framework: run.framework,
      target: run.target,
      last_outcome: run.outcome,
      last_run_at: run.at,
      last_imported_at: run.outcome === 'imported' ? run.at : null,
      requirement_count:
        run.outcome === 'imported' ? run.requirementCount ?? null : null,
      message: run.outcome === 'failed' ? run.message ?? null : null,
    };
    // A failed run leaves the last successful import's time and count.
    const merged: (keyof ImportRow)[] =
      run.outcome === 'imported'
        ? [
            'framework',
            'target',
            'last_outcome',
            'last_run_at',
            'last_imported_at',
            'requirement_count',
            'message',
          ]
        : ['framework', 'target', 'last_outcome', 'last_run_at', 'message'];
    await this.db(IMPORTS)
      .insert(row)
      .onConflict('import_id')
      .merge(merged)
      .where(`${IMPORTS}.last_run_at`, '<=', run.at);
  }

  async listImports(): Promise<FrameworkImport[]> {
    const rows = await this.db<ImportRow>(IMPORTS).orderBy('import_id');
    return rows.map(importFromRow);
  }
}
