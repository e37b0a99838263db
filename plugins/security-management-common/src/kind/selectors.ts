import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_CONTROLS } from '../constants';
import { normalizeEntityRef } from '../refs';
import {
  SecurityControlEntityV1alpha1,
  SecurityControlSelector,
} from './SecurityControlEntityV1alpha1';

function asList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

const lowerCase = (value: string) => value.toLocaleLowerCase('en-US');

function matchesAny(
  actual: string | undefined,
  expected: string[] | undefined,
  normalizeActual: (value: string) => string | undefined = lowerCase,
  normalizeExpected: (value: string) => string | undefined = normalizeActual,
): boolean {
  if (!expected) return true;
  if (actual === undefined) return false;
  const normalized = normalizeActual(actual);
  if (normalized === undefined) return false;
  return expected.some(value => normalizeExpected(value) === normalized);
}

/**
 * Whether one selector matches an entity. Kind, type, lifecycle and namespace
 * compare case-insensitively; system and owner compare as entity refs, so
 * `payments`, `group:payments` and `group:default/payments` are the same
 * owner; every listed tag must be on the entity.
 *
 * Relative refs resolve like the catalog resolves them: the selector's in the
 * namespace of the control that holds it (`options.namespace`, default
 * `default`), the entity's in the entity's own namespace.
 *
 * @public
 */
export function selectorMatchesEntity(
  selector: SecurityControlSelector,
  entity: Entity,
  options?: { namespace?: string },
): boolean {
  const namespace = entity.metadata.namespace ?? 'default';
  const selectorNamespace = options?.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const ref = (kind: string) => (v: string) =>
    normalizeEntityRef(v, { defaultKind: kind, defaultNamespace: namespace });
  const selectorRef = (kind: string) => (v: string) =>
    normalizeEntityRef(v, {
      defaultKind: kind,
      defaultNamespace: selectorNamespace,
    });

  if (!matchesAny(entity.kind, asList(selector.kind))) return false;
  if (!matchesAny(namespace, asList(selector.namespace))) return false;
  if (!matchesAny(str(spec.type), asList(selector.type))) return false;
  if (!matchesAny(str(spec.lifecycle), asList(selector.lifecycle)))
    return false;
  if (
    !matchesAny(
      str(spec.system),
      asList(selector.system),
      ref('System'),
      selectorRef('System'),
    )
  )
    return false;
  if (
    !matchesAny(
      str(spec.owner),
      asList(selector.owner),
      ref('Group'),
      selectorRef('Group'),
    )
  )
    return false;
  if (selector.tags) {
    const tags = new Set(
      (entity.metadata.tags ?? []).map(t => t.toLocaleLowerCase('en-US')),
    );
    if (!selector.tags.every(t => tags.has(t.toLocaleLowerCase('en-US')))) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a control's selectors match an entity. A control never applies to
 * itself or to other controls.
 *
 * @public
 */
export function controlSelectsEntity(
  control: SecurityControlEntityV1alpha1,
  entity: Entity,
): boolean {
  if (entity.kind === control.kind) return false;
  const namespace = control.metadata.namespace ?? 'default';
  return (control.spec.appliesTo ?? []).some(selector =>
    selectorMatchesEntity(selector, entity, { namespace }),
  );
}

/**
 * The SecurityControl refs an entity opts in to through its
 * `security.open-itsm.dev/controls` annotation, normalised to full refs.
 * Entries that are not valid refs are returned in `invalid`.
 *
 * @public
 */
export function annotatedControlRefs(entity: Entity): {
  refs: string[];
  invalid: string[];
} {
  const raw = entity.metadata.annotations?.[ANNOTATION_CONTROLS];
  const refs: string[] = [];
  const invalid: string[] = [];
  if (!raw) return { refs, invalid };
  for (const part of raw
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)) {
    const normalized = normalizeEntityRef(part, {
      defaultKind: 'SecurityControl',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    if (normalized && normalized.startsWith('securitycontrol:')) {
      if (!refs.includes(normalized)) refs.push(normalized);
    } else {
      invalid.push(part);
    }
  }
  return { refs, invalid };
}
