import { Entity } from '@backstage/catalog-model';

/**
 * The `SecurityRequirement` catalog kind, version `v1alpha1`: one
 * requirement of a framework (a control or control enhancement of an OSCAL
 * catalog such as NIST SP 800-53), which SecurityControls satisfy through
 * their `spec.frameworks` mappings.
 *
 * @public
 */
export interface SecurityRequirementEntityV1alpha1 extends Entity {
  apiVersion: 'security.open-itsm.dev/v1alpha1';
  kind: 'SecurityRequirement';
  spec: {
    /** Framework id, e.g. `nist-sp-800-53-rev5`, as controls map to it. */
    framework: string;
    /** The framework's title, e.g. the OSCAL catalog's metadata title. */
    frameworkTitle: string;
    /** The requirement's id in the framework, e.g. `ac-2.1`. */
    controlId: string;
    /** How the framework shows the id, e.g. `AC-2(1)`. */
    label: string;
    /** The requirement's text, parameters substituted, parts labelled. */
    statement: string;
    guidance?: string;
    /** How to assess it: the framework's assessment objectives and methods. */
    testProcedure?: string;
    /** The family (group) it belongs to, e.g. `Access Control`. */
    family?: string;
    /** For an enhancement, the `controlId` of the control it enhances. */
    parent?: string;
    /** Entity ref of the owning group. */
    owner: string;
  };
}

/**
 * Type guard for {@link SecurityRequirementEntityV1alpha1}. It checks the
 * envelope only; use the validator for the content.
 *
 * @public
 */
export function isSecurityRequirementEntity(
  entity: Entity,
): entity is SecurityRequirementEntityV1alpha1 {
  return (
    entity.apiVersion === 'security.open-itsm.dev/v1alpha1' &&
    entity.kind === 'SecurityRequirement'
  );
}

/**
 * The key under which a requirement reference is compared, so that a
 * control's `ref: AC-2(1)`, `ac-2.1` and `AC-02(01)` all name the
 * requirement `ac-2.1` labelled `AC-2(1)`: lower-case, without blanks, an
 * enhancement number in parentheses as a dotted suffix, and no leading
 * zeros in numbers after a separator.
 *
 * @public
 */
export function requirementRefKey(ref: string): string {
  return ref
    .toLocaleLowerCase('en-US')
    .replace(/\s+/g, '')
    .replace(/\((\w+)\)/g, '.$1')
    .replace(/([-.])0+(\d)/g, '$1$2');
}

/**
 * How NIST shows an id when the catalog gives no label: `ac-2.1` is
 * `AC-2(1)`. Other ids are returned upper-cased.
 *
 * @public
 */
export function deriveRequirementLabel(controlId: string): string {
  const match = /^([a-z]+)-(\d+)((?:\.\d+)*)$/i.exec(controlId);
  if (!match) return controlId.toLocaleUpperCase('en-US');
  const [, family, number, enhancements] = match;
  const suffix = enhancements
    .split('.')
    .filter(Boolean)
    .map(part => `(${part})`)
    .join('');
  return `${family.toLocaleUpperCase('en-US')}-${number}${suffix}`;
}

const MAX_NAME_LENGTH = 63;

// FNV-1a: a short stable suffix for names that had to be shortened; it runs
// in the browser as well as in Node.
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * The entity name of a requirement: `<framework>-<controlId>`
 * (`nist-sp-800-53-rev5-ac-2.1`), reduced to what the catalog accepts in a
 * name (letters, digits and single `-`, `_` or `.` between them, at most 63
 * characters; a longer one is cut and ends with a hash of the whole).
 *
 * @public
 */
export function requirementEntityName(
  framework: string,
  controlId: string,
): string {
  const full = `${framework}-${controlId}`;
  const name = full
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[-_.]{2,}/g, match => match[0])
    .replace(/^[-_.]+|[-_.]+$/g, '');
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = shortHash(full);
  const head = name
    .slice(0, MAX_NAME_LENGTH - hash.length - 1)
    .replace(/[-_.]+$/, '');
  return `${head}-${hash}`;
}
