import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  PolicyReviewDue,
  SecurityPolicyStatus,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import {
  byKey,
  chunk,
  chunkRows,
  DbMillis,
  IN_LIST_SIZE,
  optional,
  toIso,
  toOptionalIso,
} from '../lib/rows';
import {
  PolicyStore,
  PolicySyncResult,
  StoredPolicy,
  StoredPolicyStatement,
} from './PolicyStore';

const POLICIES = 'security_policies';
const STATEMENTS = 'security_policy_statements';
const CONTROLS = 'security_policy_controls';

type PolicyRow = {
  policy_ref: string;
  title: string;
  description: string | null;
  owner: string;
  version: string;
  status: string;
  approver: string | null;
  approved_at: DbMillis | null;
  review_cadence: string;
  next_review_at: DbMillis | null;
  parent_ref: string | null;
  synced_at: DbMillis;
};

type StatementRow = {
  policy_ref: string;
  statement_id: string;
  position: number;
  title: string | null;
  text: string;
};

type ControlRow = {
  policy_ref: string;
  statement_id: string;
  control_ref: string;
  position: number;
};

/** A key of a statement that no ref or id can collide with. */
function statementKey(row: { policy_ref: string; statement_id: string }) {
  return `${row.policy_ref}\u0000${row.statement_id}`;
}

function controlKey(row: ControlRow) {
  return `${statementKey(row)}\u0000${row.control_ref}`;
}

function toRows(policies: StoredPolicy[], now: number) {
  const policyRows: PolicyRow[] = [];
  const statementRows: StatementRow[] = [];
  const controlRows: ControlRow[] = [];
  for (const policy of policies) {
    policyRows.push({
      policy_ref: policy.ref,
      title: policy.title,
      description: policy.description ?? null,
      owner: policy.owner,
      version: policy.version,
      status: policy.status,
      approver: policy.approver ?? null,
      approved_at: policy.approvedAt ? toMillis(policy.approvedAt) : null,
      review_cadence: policy.reviewCadence,
      next_review_at: policy.nextReviewAt
        ? toMillis(policy.nextReviewAt)
        : null,
      parent_ref: policy.parentRef ?? null,
      synced_at: now,
    });
    policy.statements.forEach((statement, position) => {
      statementRows.push({
        policy_ref: policy.ref,
        statement_id: statement.id,
        position,
        title: statement.title ?? null,
        text: statement.text,
      });
      statement.controlRefs.forEach((controlRef, controlPosition) =>
        controlRows.push({
          policy_ref: policy.ref,
          statement_id: statement.id,
          control_ref: controlRef,
          position: controlPosition,
        }),
      );
    });
  }
  // Written in key order, so that two replicas running a sync at once take
  // row locks in the same order and wait instead of deadlocking.
  return {
    policyRows: policyRows.sort(byKey(row => row.policy_ref)),
    statementRows: statementRows.sort(byKey(statementKey)),
    controlRows: controlRows.sort(byKey(controlKey)),
  };
}

/** Groups rows by a key, keeping their order. */
function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row)) ?? [];
    group.push(row);
    groups.set(key(row), group);
  }
  return groups;
}

/**
 * The knex implementation of {@link PolicyStore}. A sync upserts every row
 * and deletes only what left the catalog, all in one transaction: readers
 * see the previous snapshot or the new one, and replicas syncing at once
 * write the same rows instead of colliding on keys.
 */
export class DatabasePolicyStore implements PolicyStore {
  /** Connects to the plugin's database, migrated once for all stores. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabasePolicyStore> {
    return new DatabasePolicyStore(
      await connectSecurityDatabase(options.database),
    );
  }

  /** Reads in one snapshot: SQLite has one writer; PostgreSQL needs asking. */
  readonly #snapshot: Knex.TransactionConfig | undefined;

  private constructor(private readonly db: Knex) {
    this.#snapshot = String(db.client.config.client).includes('sqlite')
      ? undefined
      : { isolationLevel: 'repeatable read', readOnly: true };
  }

  async replacePolicies(options: {
    policies: StoredPolicy[];
    now: Date;
  }): Promise<PolicySyncResult> {
    const { policyRows, statementRows, controlRows } = toRows(
      options.policies,
      options.now.getTime(),
    );
    return this.db.transaction(async tx => {
      const keptPolicies = new Set(policyRows.map(row => row.policy_ref));
      const keptStatements = new Set(statementRows.map(statementKey));
      const keptControls = new Set(controlRows.map(controlKey));

      // Children first: a control row refers to its statement, a statement
      // to its policy.
      const goneControls = (
        await tx<ControlRow>(CONTROLS).select().orderBy(['policy_ref'])
      ).filter(row => !keptControls.has(controlKey(row)));
      for (const rows of groupBy(goneControls, statementKey).values()) {
        await tx(CONTROLS)
          .where({
            policy_ref: rows[0].policy_ref,
            statement_id: rows[0].statement_id,
          })
          .whereIn(
            'control_ref',
            rows.map(row => row.control_ref),
          )
          .delete();
      }
      const goneStatements = (
        await tx<StatementRow>(STATEMENTS)
          .select('policy_ref', 'statement_id')
          .orderBy(['policy_ref', 'statement_id'])
      ).filter(row => !keptStatements.has(statementKey(row)));
      for (const [policyRef, rows] of groupBy(
        goneStatements,
        row => row.policy_ref,
      )) {
        await tx(STATEMENTS)
          .where('policy_ref', policyRef)
          .whereIn(
            'statement_id',
            rows.map(row => row.statement_id),
          )
          .delete();
      }
      const gonePolicies = (
        await tx<PolicyRow>(POLICIES).select('policy_ref').orderBy('policy_ref')
      )
        .map(row => row.policy_ref)
        .filter(ref => !keptPolicies.has(ref));
      for (const refs of chunk(gonePolicies, IN_LIST_SIZE)) {
        await tx(POLICIES).whereIn('policy_ref', refs).delete();
      }

      for (const rows of chunkRows(policyRows)) {
        await tx(POLICIES).insert(rows).onConflict('policy_ref').merge();
      }
      for (const rows of chunkRows(statementRows)) {
        await tx(STATEMENTS)
          .insert(rows)
          .onConflict(['policy_ref', 'statement_id'])
          .merge();
      }
      for (const rows of chunkRows(controlRows)) {
        await tx(CONTROLS)
          .insert(rows)
          .onConflict(['policy_ref', 'statement_id', 'control_ref'])
          .merge();
      }
      return {
        policyCount: policyRows.length,
        statementCount: statementRows.length,
        removedPolicyCount: gonePolicies.length,
      };
    });
  }

  async listPolicies(): Promise<StoredPolicy[]> {
    // One snapshot, even while a sync replaces it.
    return this.db.transaction(async tx => {
      const [policies, statements, controls] = await Promise.all([
        tx<PolicyRow>(POLICIES).select().orderBy('policy_ref'),
        tx<StatementRow>(STATEMENTS)
          .select()
          .orderBy(['policy_ref', 'position']),
        tx<ControlRow>(CONTROLS)
          .select()
          .orderBy(['policy_ref', 'statement_id', 'position']),
      ]);
      const controlsByStatement = groupBy(controls, statementKey);
      const statementsByPolicy = groupBy(statements, row => row.policy_ref);
      return policies.map(row => ({
        ref: row.policy_ref,
        title: row.title,
        description: optional(row.description),
        owner: row.owner,
        version: row.version,
        status: row.status as SecurityPolicyStatus,
        approver: optional(row.approver),
        approvedAt: toOptionalIso(row.approved_at),
        reviewCadence: row.review_cadence,
        nextReviewAt: toOptionalIso(row.next_review_at),
        parentRef: optional(row.parent_ref),
        statements: (statementsByPolicy.get(row.policy_ref) ?? []).map(
          (statement): StoredPolicyStatement => ({
            id: statement.statement_id,
            title: optional(statement.title),
            text: statement.text,
            controlRefs: (
              controlsByStatement.get(statementKey(statement)) ?? []
            ).map(control => control.control_ref),
          }),
        ),
      }));
    }, this.#snapshot);
  }

  async listPoliciesDueForReview(asOf: Date): Promise<PolicyReviewDue[]> {
    const rows = await this.db<PolicyRow>(POLICIES)
      .where('status', 'approved')
      .whereNotNull('next_review_at')
      .where('next_review_at', '<=', asOf.getTime())
      .orderBy([
        { column: 'next_review_at', order: 'asc' },
        { column: 'policy_ref', order: 'asc' },
      ]);
    return rows.map(row => ({
      ref: row.policy_ref,
      title: row.title,
      owner: row.owner,
      version: row.version,
      approver: optional(row.approver),
      approvedAt: toOptionalIso(row.approved_at),
      nextReviewAt: toIso(row.next_review_at!),
    }));
  }
}
