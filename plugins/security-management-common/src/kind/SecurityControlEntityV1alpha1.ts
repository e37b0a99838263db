import { Entity } from '@backstage/catalog-model';

/** How a control is implemented. @public */
export type SecurityControlCategory =
  | 'technical'
  | 'organizational'
  | 'procedural'
  | 'physical';

/** How much harm a failing control does. @public */
export type SecurityControlCriticality = 'low' | 'medium' | 'high' | 'critical';

/** How a control is tested. @public */
export type SecurityTestMethod =
  | 'automated'
  | 'manual'
  | 'penetration-test'
  | 'audit';

/** A requirement of a framework that a control satisfies. @public */
export type FrameworkMapping = {
  /** Framework id, for example `nist-sp-800-53-rev5` or `iso-27001-2022`. */
  framework: string;
  /** The requirement in that framework, for example `SC-8`. */
  ref: string;
};

/**
 * A selector over catalog entities. Every key that is present must match
 * (AND); a key given as a list matches any of its values; `tags` must all be
 * present on the entity.
 *
 * @public
 */
export type SecurityControlSelector = {
  kind?: string | string[];
  type?: string | string[];
  lifecycle?: string | string[];
  system?: string | string[];
  owner?: string | string[];
  namespace?: string | string[];
  tags?: string[];
};

/**
 * The `SecurityControl` catalog kind, version `v1alpha1`.
 *
 * @public
 */
export interface SecurityControlEntityV1alpha1 extends Entity {
  apiVersion: 'security.open-itsm.dev/v1alpha1';
  kind: 'SecurityControl';
  spec: {
    owner: string;
    category: SecurityControlCategory;
    criticality: SecurityControlCriticality;
    frameworks?: FrameworkMapping[];
    testing: {
      /** ISO-8601 duration between tests, e.g. `P90D`. */
      cadence: string;
      method: SecurityTestMethod;
      procedure?: string;
    };
    /** The control applies to an entity when any selector matches it. */
    appliesTo?: SecurityControlSelector[];
  };
}

/**
 * Type guard for {@link SecurityControlEntityV1alpha1}. It checks the
 * envelope only; use the validator for the content.
 *
 * @public
 */
export function isSecurityControlEntity(
  entity: Entity,
): entity is SecurityControlEntityV1alpha1 {
  return (
    entity.apiVersion === 'security.open-itsm.dev/v1alpha1' &&
    entity.kind === 'SecurityControl'
  );
}
