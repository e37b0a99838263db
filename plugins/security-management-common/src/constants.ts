/**
 * The API group of everything this project adds to the catalog: the
 * `SecurityControl` kind's apiVersion and the entity annotations.
 *
 * @public
 */
export const SECURITY_MANAGEMENT_API_GROUP = 'security.open-itsm.dev';

/** @public */
export const SECURITY_CONTROL_API_VERSION = `${SECURITY_MANAGEMENT_API_GROUP}/v1alpha1`;

/** @public */
export const SECURITY_CONTROL_KIND = 'SecurityControl';

/**
 * Annotation on any entity: its risk tier, `1` (critical) to `3` (low).
 * The tier sets how often the entity must be reviewed.
 *
 * @public
 */
export const ANNOTATION_RISK_TIER = `${SECURITY_MANAGEMENT_API_GROUP}/risk-tier`;

/**
 * Annotation on any entity: a comma-separated list of SecurityControl refs
 * that apply to it in addition to those whose selectors match it.
 *
 * @public
 */
export const ANNOTATION_CONTROLS = `${SECURITY_MANAGEMENT_API_GROUP}/controls`;

/**
 * Relation from an entity to a SecurityControl that applies to it.
 *
 * @public
 */
export const RELATION_HAS_SECURITY_CONTROL = 'hasSecurityControl';

/**
 * Relation from a SecurityControl to an entity it applies to.
 *
 * @public
 */
export const RELATION_SECURITY_CONTROL_OF = 'securityControlOf';

/**
 * Relation from an entity to a SecurityControl it inherits: the control
 * applies to an entity it depends on or is part of, and declares
 * `spec.inheritance`.
 *
 * @public
 */
export const RELATION_INHERITS_SECURITY_CONTROL = 'inheritsSecurityControl';

/**
 * Relation from a SecurityControl to an entity that inherits it.
 *
 * @public
 */
export const RELATION_SECURITY_CONTROL_INHERITED_BY =
  'securityControlInheritedBy';

/** @public */
export const SECURITY_POLICY_API_VERSION = `${SECURITY_MANAGEMENT_API_GROUP}/v1alpha1`;

/** @public */
export const SECURITY_POLICY_KIND = 'SecurityPolicy';

/**
 * Relation from a SecurityPolicy to a SecurityControl that one of its
 * statements names: the control implements the policy.
 *
 * @public
 */
export const RELATION_IMPLEMENTED_BY = 'implementedBy';

/**
 * Relation from a SecurityControl to a SecurityPolicy with a statement
 * that the control implements.
 *
 * @public
 */
export const RELATION_IMPLEMENTS = 'implements';

/** @public */
export const SECURITY_REQUIREMENT_API_VERSION = `${SECURITY_MANAGEMENT_API_GROUP}/v1alpha1`;

/** @public */
export const SECURITY_REQUIREMENT_KIND = 'SecurityRequirement';

/**
 * Relation from a SecurityControl to a SecurityRequirement that one of its
 * `spec.frameworks` mappings names: the control satisfies the requirement.
 *
 * @public
 */
export const RELATION_SATISFIES = 'satisfies';

/**
 * Relation from a SecurityRequirement to a SecurityControl that satisfies it.
 *
 * @public
 */
export const RELATION_SATISFIED_BY = 'satisfiedBy';

/**
 * Annotation on an imported SecurityRequirement: the id of the OSCAL import
 * (`securityManagement.oscal.imports[].id`) it came from.
 *
 * @public
 */
export const ANNOTATION_OSCAL_IMPORT = `${SECURITY_MANAGEMENT_API_GROUP}/oscal-import`;

/**
 * The events-system topic on which the catalog module reports the outcome
 * of every OSCAL import run, for the backend to show to the security team.
 *
 * @public
 */
export const FRAMEWORK_IMPORT_EVENT_TOPIC =
  'security-management.framework-imports';

/** The plugin id shared by the frontend and backend plugins. @public */
export const SECURITY_MANAGEMENT_PLUGIN_ID = 'security-management';
