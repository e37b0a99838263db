import { Entity } from '@backstage/catalog-model';

/** Where a policy is in its life. @public */
export type SecurityPolicyStatus = 'draft' | 'approved' | 'retired';

/** @public */
export const SECURITY_POLICY_STATUSES: readonly SecurityPolicyStatus[] = [
  'draft',
  'approved',
  'retired',
];

/**
 * One statement of a policy: what the organisation commits to, and the
 * SecurityControls that implement it.
 *
 * @public
 */
export type SecurityPolicyStatement = {
  /** Unique within the policy: lower-case letters, digits and dashes. */
  id: string;
  title?: string;
  text: string;
  /** SecurityControl refs; the kind may be left out. */
  controls: string[];
};

/**
 * The `SecurityPolicy` catalog kind, version `v1alpha1`: the IT security
 * policy and the underpinning policies below it (through `parent`), as code.
 *
 * @public
 */
export interface SecurityPolicyEntityV1alpha1 extends Entity {
  apiVersion: 'security.open-itsm.dev/v1alpha1';
  kind: 'SecurityPolicy';
  spec: {
    /** Entity ref of the owning group. */
    owner: string;
    /** The policy's own version, e.g. `1.2.0`. */
    version: string;
    status: SecurityPolicyStatus;
    /** Who approved this version, and when; required when approved. */
    approval?: {
      /** Entity ref of a user. */
      approver: string;
      /** ISO-8601 date (`2026-03-01`) or date-time with an offset. */
      approvedAt: string;
    };
    review: {
      /** ISO-8601 duration between reviews, e.g. `P1Y`. */
      cadence: string;
      /** ISO-8601 date; by default the approval date plus the cadence. */
      nextReviewAt?: string;
    };
    /** The SecurityPolicy this one underpins; the kind may be left out. */
    parent?: string;
    statements: SecurityPolicyStatement[];
  };
}

/**
 * Type guard for {@link SecurityPolicyEntityV1alpha1}. It checks the
 * envelope only; use the validator for the content.
 *
 * @public
 */
export function isSecurityPolicyEntity(
  entity: Entity,
): entity is SecurityPolicyEntityV1alpha1 {
  return (
    entity.apiVersion === 'security.open-itsm.dev/v1alpha1' &&
    entity.kind === 'SecurityPolicy'
  );
}
