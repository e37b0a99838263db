import {
  CONTROL_STATUSES,
  ControlListItem,
  emptyControlCounts,
  PolicyControlCoverage,
  PolicyStatement,
  PolicyWarning,
  SecurityPolicy,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { StoredPolicy, StoredPolicyStatement } from './PolicyStore';

function byTitle(a: StoredPolicy, b: StoredPolicy): number {
  return a.title.localeCompare(b.title, 'en') || a.ref.localeCompare(b.ref);
}

function statementCoverage(
  statement: StoredPolicyStatement,
  controls: Map<string, ControlListItem>,
): PolicyStatement {
  const counts = emptyControlCounts();
  let applicableCount = 0;
  const covered: PolicyControlCoverage[] = statement.controlRefs.map(ref => {
    const control = controls.get(ref);
    if (!control) {
      return {
        ref,
        exists: false,
        applicableCount: 0,
        counts: emptyControlCounts(),
      };
    }
    applicableCount += control.applicableCount;
    for (const status of CONTROL_STATUSES) {
      counts[status] += control.counts[status];
    }
    return {
      ref,
      exists: true,
      title: control.title,
      applicableCount: control.applicableCount,
      counts: { ...control.counts },
    };
  });
  return {
    id: statement.id,
    title: statement.title,
    text: statement.text,
    controls: covered,
    covered:
      covered.length > 0 &&
      covered.every(control => control.exists && control.applicableCount > 0),
    applicableCount,
    counts,
  };
}

/**
 * The policies on a cycle of parents (a → b → a), which no root reaches.
 */
function policiesOnCycles(parents: Map<string, string>): Set<string> {
  const onCycle = new Set<string>();
  for (const start of parents.keys()) {
    const seen = new Set<string>();
    let ref: string | undefined = start;
    while (ref !== undefined && !seen.has(ref) && !onCycle.has(ref)) {
      seen.add(ref);
      ref = parents.get(ref);
    }
    if (ref === start) for (const member of seen) onCycle.add(member);
  }
  return onCycle;
}

/**
 * The policy tree as of an instant: the stored policies depth first (each
 * policy, then those that underpin it, by title), each statement with the
 * coverage of the controls it names, and the warnings of each policy. A
 * policy whose parent is not in the tree, or whose parents form a cycle,
 * is shown as a root with a warning.
 */
export function buildPolicyTree(options: {
  policies: StoredPolicy[];
  controls: ControlListItem[];
  now: Date;
}): SecurityPolicy[] {
  const { policies, now } = options;
  const controls = new Map(options.controls.map(c => [c.ref, c]));
  const byRef = new Map(policies.map(policy => [policy.ref, policy]));
  const warnings = new Map<string, PolicyWarning[]>(
    policies.map(policy => [policy.ref, []]),
  );

  const declared = new Map<string, string>();
  for (const policy of policies) {
    if (!policy.parentRef) continue;
    if (byRef.has(policy.parentRef)) {
      declared.set(policy.ref, policy.parentRef);
    } else {
      warnings.get(policy.ref)!.push({
        kind: 'unknown-parent',
        ref: policy.parentRef,
        message: `Its parent ${policy.parentRef} is not a valid SecurityPolicy in the catalog; it is shown at the top of the tree`,
      });
    }
  }
  const onCycle = policiesOnCycles(declared);
  for (const ref of onCycle) {
    warnings.get(ref)!.push({
      kind: 'parent-cycle',
      ref: declared.get(ref),
      message: `Its parent ${declared.get(
        ref,
      )} is also below it in the tree (the parents form a cycle); it is shown at the top of the tree`,
    });
    declared.delete(ref);
  }

  const children = new Map<string, StoredPolicy[]>();
  const roots: StoredPolicy[] = [];
  for (const policy of policies) {
    const parent = declared.get(policy.ref);
    if (parent) {
      children.set(parent, [...(children.get(parent) ?? []), policy]);
    } else {
      roots.push(policy);
    }
  }

  const nowMillis = now.getTime();
  const tree: SecurityPolicy[] = [];
  const visit = (policy: StoredPolicy, depth: number) => {
    const below = (children.get(policy.ref) ?? []).sort(byTitle);
    const statements = policy.statements.map(statement =>
      statementCoverage(statement, controls),
    );
    const policyWarnings = warnings.get(policy.ref)!;
    for (const statement of statements) {
      for (const control of statement.controls.filter(c => !c.exists)) {
        policyWarnings.push({
          kind: 'unknown-control',
          statementId: statement.id,
          ref: control.ref,
          message: `Statement '${statement.id}' names ${control.ref}, which is not a valid SecurityControl in the catalog`,
        });
      }
    }
    tree.push({
      ref: policy.ref,
      title: policy.title,
      description: policy.description,
      owner: policy.owner,
      version: policy.version,
      status: policy.status,
      approver: policy.approver,
      approvedAt: policy.approvedAt,
      reviewCadence: policy.reviewCadence,
      nextReviewAt: policy.nextReviewAt,
      reviewOverdue:
        policy.status === 'approved' &&
        policy.nextReviewAt !== undefined &&
        toMillis(policy.nextReviewAt) <= nowMillis,
      parentRef: declared.get(policy.ref),
      childRefs: below.map(child => child.ref),
      depth,
      statements,
      coverage: {
        statements: statements.length,
        covered: statements.filter(statement => statement.covered).length,
      },
      warnings: policyWarnings,
    });
    for (const child of below) visit(child, depth + 1);
  };
  for (const root of roots.sort(byTitle)) visit(root, 0);
  return tree;
}
