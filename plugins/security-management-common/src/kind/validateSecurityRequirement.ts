import { Entity } from '@backstage/catalog-model';
import {
  SECURITY_REQUIREMENT_API_VERSION,
  SECURITY_REQUIREMENT_KIND,
} from '../constants';
import {
  checkNoNul,
  checkRef,
  compileEntitySchema,
  isRecord,
  mustNotBeEmpty,
  validateKindEntity,
} from './entityValidation';
import schema from './SecurityRequirement.v1alpha1.schema.json';
import { isSecurityRequirementEntity } from './SecurityRequirementEntityV1alpha1';

const schemaProblems = compileEntitySchema(schema, {
  pattern: (path, error) =>
    path === 'spec.framework'
      ? `spec.framework '${String(
          error.data,
        )}' may hold only lower-case letters, digits, dots and dashes`
      : undefined,
  minLength: mustNotBeEmpty,
});

/**
 * Checks a SecurityRequirement entity against its JSON schema and the rules
 * a schema cannot express (the owner is a group ref, no NUL characters).
 * Returns one message per problem, each naming the field; an empty list
 * means the entity is valid.
 *
 * @public
 */
export function securityRequirementProblems(entity: Entity): string[] {
  const problems = schemaProblems(entity);
  const spec: Record<string, unknown> = isRecord(entity.spec)
    ? entity.spec
    : {};
  checkRef(
    spec.owner,
    {
      path: 'spec.owner',
      kind: 'Group',
      label: 'a group',
      namespace: entity.metadata?.namespace,
    },
    problems,
  );
  checkNoNul(entity, { spec, metadata: ['title', 'description'] }, problems);
  return problems;
}

/**
 * Validates a SecurityRequirement entity. Returns false for entities of
 * other kinds, true for a valid requirement, and throws a TypeError that
 * lists every problem (each naming its field) for an invalid one.
 *
 * @public
 */
export function validateSecurityRequirementEntity(entity: Entity): boolean {
  return validateKindEntity(entity, {
    kind: SECURITY_REQUIREMENT_KIND,
    apiVersion: SECURITY_REQUIREMENT_API_VERSION,
    isKind: isSecurityRequirementEntity,
    problems: securityRequirementProblems,
  });
}
