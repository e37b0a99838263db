import { Entity } from '@backstage/catalog-model';
import { Duration } from 'luxon';
import {
  SECURITY_CONTROL_API_VERSION,
  SECURITY_CONTROL_KIND,
} from '../constants';
import {
  checkNoNul,
  checkRef,
  compileEntitySchema,
  isRecord,
  joinPath,
  tooManyItems,
  validateKindEntity,
} from './entityValidation';
import schema from './SecurityControl.v1alpha1.schema.json';
import { isSecurityControlEntity } from './SecurityControlEntityV1alpha1';

const schemaProblems = compileEntitySchema(schema, {
  additionalProperties: (path, error) =>
    path.startsWith('spec.appliesTo[')
      ? `${joinPath(
          path,
          (error.params as Record<string, any>).additionalProperty,
        )} is not a selector key; use kind, type, lifecycle, system, owner, namespace or tags`
      : undefined,
  maxItems: tooManyItems,
  uniqueItems: path => `${path} names a relation more than once`,
});

/**
 * Whether a string is a positive ISO-8601 duration such as `P90D` or `PT12H`.
 *
 * @public
 */
export function isIsoDuration(value: string): boolean {
  const duration = Duration.fromISO(value);
  return duration.isValid && duration.toMillis() > 0;
}

/**
 * Checks a SecurityControl entity against its JSON schema and the rules a
 * schema cannot express (ISO-8601 cadence, entity refs). Returns one message
 * per problem, each naming the field; an empty list means the entity is valid.
 *
 * @public
 */
export function securityControlProblems(entity: Entity): string[] {
  const problems = schemaProblems(entity);
  // The checks below still run when the schema fails, so that one pass
  // reports every problem; each guards the shape it reads.
  const spec: Record<string, unknown> = isRecord(entity.spec)
    ? entity.spec
    : {};
  checkRef(spec.owner, { path: 'spec.owner', kind: 'Group' }, problems);
  const cadence = isRecord(spec.testing) ? spec.testing.cadence : undefined;
  if (typeof cadence === 'string' && !isIsoDuration(cadence)) {
    problems.push(
      `spec.testing.cadence '${cadence}' is not a positive ISO-8601 duration such as P90D`,
    );
  }
  const appliesTo = Array.isArray(spec.appliesTo) ? spec.appliesTo : [];
  appliesTo.forEach((selector: unknown, index) => {
    if (!isRecord(selector)) return;
    for (const key of ['system', 'owner'] as const) {
      const raw = selector[key];
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        checkRef(
          value,
          {
            path: `spec.appliesTo[${index}].${key}`,
            kind: key === 'system' ? 'System' : 'Group',
          },
          problems,
        );
      }
    }
  });
  checkNoNul(
    entity,
    { spec, metadata: ['title', 'description', 'tags'] },
    problems,
  );
  return problems;
}

/**
 * Validates a SecurityControl entity. Returns false for entities of other
 * kinds, true for a valid control, and throws a TypeError that lists every
 * problem (each naming its field) for an invalid one.
 *
 * @public
 */
export function validateSecurityControlEntity(entity: Entity): boolean {
  return validateKindEntity(entity, {
    kind: SECURITY_CONTROL_KIND,
    apiVersion: SECURITY_CONTROL_API_VERSION,
    isKind: isSecurityControlEntity,
    problems: securityControlProblems,
  });
}
