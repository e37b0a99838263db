import {
  PolicyReviewDue,
  SecurityPolicyStatus,
} from '@open-itsm/plugin-security-management-common';

/** A statement of a policy as stored. */
export interface StoredPolicyStatement {
  id: string;
  title?: string;
  text: string;
  /** Full, lower-case SecurityControl refs, each once, in their order. */
  controlRefs: string[];
}

/** A valid SecurityPolicy of the catalog, with refs normalised. */
export interface StoredPolicy {
  /** Full, lower-case ref. */
  ref: string;
  title: string;
  description?: string;
  owner: string;
  version: string;
  status: SecurityPolicyStatus;
  approver?: string;
  /** ISO-8601 in UTC. */
  approvedAt?: string;
  /** ISO-8601 duration between reviews. */
  reviewCadence: string;
  /** ISO-8601 in UTC: the stated next review, or approval plus cadence. */
  nextReviewAt?: string;
  /** Full, lower-case ref of the parent the policy states, if any. */
  parentRef?: string;
  statements: StoredPolicyStatement[];
}

/** What one policy sync stored and removed. */
export interface PolicySyncResult {
  policyCount: number;
  statementCount: number;
  removedPolicyCount: number;
}

/**
 * The security policies read from the catalog: a snapshot replaced by each
 * sync, read for the policy tree and the IT security report.
 */
export interface PolicyStore {
  /** Replaces the snapshot with these policies, atomically. */
  replacePolicies(options: {
    policies: StoredPolicy[];
    now: Date;
  }): Promise<PolicySyncResult>;
  /** Every stored policy, by ref, each with its statements in order. */
  listPolicies(): Promise<StoredPolicy[]>;
  /**
   * The approved policies whose next review is due as of an instant (at or
   * before it), the longest overdue first.
   */
  listPoliciesDueForReview(asOf: Date): Promise<PolicyReviewDue[]>;
}
