import { Entity } from '@backstage/catalog-model';
import { normalizeEntityRef } from '../refs';
import {
  SecurityControlEntityV1alpha1,
  SecurityControlInheritanceRelation,
} from './SecurityControlEntityV1alpha1';

/** The kinds that inherit a control whose `inheritance.kinds` is absent. */
const DEFAULT_INHERITING_KINDS = ['component'];

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

/**
 * Whether entities of this kind inherit the control, and through which
 * relations; undefined when the control declares no inheritance or the
 * kind does not inherit it.
 *
 * @public
 */
export function inheritanceRelations(
  control: SecurityControlEntityV1alpha1,
  kind: string,
): SecurityControlInheritanceRelation[] | undefined {
  const inheritance = control.spec.inheritance;
  if (!inheritance?.via?.length) return undefined;
  const kinds = inheritance.kinds
    ? asList(inheritance.kinds).map(k => k.toLocaleLowerCase('en-US'))
    : DEFAULT_INHERITING_KINDS;
  if (!kinds.includes(kind.toLocaleLowerCase('en-US'))) return undefined;
  return inheritance.via;
}

/**
 * The refs (full, lower-case) an entity's spec relates it to through one
 * relation type, as the catalog's built-in processor emits them: `dependsOn`
 * from `spec.dependsOn`; `partOf` from `spec.system`, a Component's
 * `spec.subcomponentOf`, a System's `spec.domain` and a Domain's
 * `spec.subdomainOf`. A processor never sees the relations of the entity it
 * processes, only its spec.
 *
 * @public
 */
export function specRelationTargets(
  entity: Entity,
  relation: SecurityControlInheritanceRelation,
): string[] {
  const spec = entity.spec ?? {};
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const defaultNamespace = entity.metadata.namespace ?? 'default';
  const refs = (values: unknown, defaultKind?: string) =>
    asList(values)
      .map(value =>
        normalizeEntityRef(value, { defaultKind, defaultNamespace }),
      )
      .filter((ref): ref is string => ref !== undefined);
  if (relation === 'dependsOn') {
    return kind === 'component' || kind === 'resource'
      ? refs(spec.dependsOn)
      : [];
  }
  switch (kind) {
    case 'component':
      return [
        ...refs(spec.system, 'system'),
        ...refs(spec.subcomponentOf, 'component'),
      ];
    case 'resource':
    case 'api':
      return refs(spec.system, 'system');
    case 'system':
      return refs(spec.domain, 'domain');
    case 'domain':
      return refs(spec.subdomainOf, 'domain');
    default:
      return [];
  }
}

/**
 * The entities (full, lower-case refs) an entity may inherit a control
 * from: its targets of the control's `inheritance.via` relations, when its
 * kind inherits the control. Which of them the control applies to is the
 * caller's to check.
 *
 * @public
 */
export function inheritanceCandidates(
  control: SecurityControlEntityV1alpha1,
  entity: Entity,
): string[] {
  const via = inheritanceRelations(control, entity.kind) ?? [];
  return [...new Set(via.flatMap(rel => specRelationTargets(entity, rel)))];
}
