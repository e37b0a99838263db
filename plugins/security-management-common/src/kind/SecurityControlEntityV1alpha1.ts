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
 * A relation from an inheriting entity to the entity a control applies to.
 *
 * @public
 */
export type SecurityControlInheritanceRelation = 'dependsOn' | 'partOf';

/**
 * How a control reaches the entities related to one it applies to: tested
 * once on that entity (a Resource, a System), inherited by the entities of
 * `kinds` (Component when absent) that have a `via` relation to it.
 *
 * @public
 */
export type SecurityControlInheritance = {
  via: SecurityControlInheritanceRelation[];
  kinds?: string | string[];
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
    /** Inherited through relations from the entities it applies to. */
    inheritance?: SecurityControlInheritance;
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
