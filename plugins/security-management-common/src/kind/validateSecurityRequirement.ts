import { Entity } from '@backstage/catalog-model';
import Ajv, { ErrorObject } from 'ajv';
import {
  SECURITY_MANAGEMENT_API_GROUP,
  SECURITY_REQUIREMENT_API_VERSION,
  SECURITY_REQUIREMENT_KIND,
} from '../constants';
import { normalizeEntityRef } from '../refs';
import schema from './SecurityRequirement.v1alpha1.schema.json';
import { isSecurityRequirementEntity } from './SecurityRequirementEntityV1alpha1';

// verbose: errors carry the offending value, so a message can say how long it is.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile(schema);

function join(path: string, key: string) {
  return path ? `${path}.${key}` : key;
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .reduce(
      (path, part) =>
        /^\d+$/.test(part) ? `${path}[${part}]` : join(path, part),
      '',
    );
}

function describe(error: ErrorObject): string {
  const path = fieldPath(error.instancePath);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return `${join(path, params.missingProperty)} is required`;
    case 'additionalProperties':
      return `${join(path, params.additionalProperty)} is not a known field`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[])
        .map(v => `'${v}'`)
        .join(', ')}`;
    case 'type':
      return `${path || 'entity'} must be of type ${params.type}`;
    case 'pattern':
      return path === 'spec.framework'
        ? `spec.framework '${String(
            error.data,
          )}' may hold only lower-case letters, digits, dots and dashes`
        : `${path} ${error.message}`;
    case 'minLength':
      return `${path} must not be empty`;
    case 'maxLength':
      return `${path} is ${
        typeof error.data === 'string' ? error.data.length : 'too many'
      } characters long; the most is ${params.limit}`;
    default:
      return `${path || 'entity'} ${error.message}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The strings under a value that hold a NUL character, by path. */
function nulPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => nulPaths(item, `${path}[${index}]`));
  }
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      nulPaths(item, join(path, key)),
    );
  }
  return [];
}

/**
 * Checks a SecurityRequirement entity against its JSON schema and the rules
 * a schema cannot express (the owner is a group ref, no NUL characters).
 * Returns one message per problem, each naming the field; an empty list
 * means the entity is valid.
 *
 * @public
 */
export function securityRequirementProblems(entity: Entity): string[] {
  const problems = validateSchema(entity)
    ? []
    : (validateSchema.errors ?? []).map(describe);
  const spec: Record<string, unknown> = isRecord(entity.spec)
    ? entity.spec
    : {};
  if (typeof spec.owner === 'string' && spec.owner) {
    const owner = normalizeEntityRef(spec.owner, {
      defaultKind: 'Group',
      defaultNamespace: entity.metadata?.namespace,
    });
    if (!owner) {
      problems.push(
        `spec.owner '${spec.owner}' is not a valid entity ref; expected [kind:][namespace/]name`,
      );
    } else if (!owner.startsWith('group:')) {
      problems.push(`spec.owner '${spec.owner}' must name a group`);
    }
  }
  for (const path of [
    ...nulPaths(entity.metadata?.title, 'metadata.title'),
    ...nulPaths(entity.metadata?.description, 'metadata.description'),
    ...nulPaths(spec, 'spec'),
  ]) {
    problems.push(`${path} must not contain NUL characters`);
  }
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
  if (!isSecurityRequirementEntity(entity)) {
    if (
      entity.kind === SECURITY_REQUIREMENT_KIND &&
      entity.apiVersion?.startsWith(`${SECURITY_MANAGEMENT_API_GROUP}/`)
    ) {
      throw new TypeError(
        `apiVersion '${entity.apiVersion}' is not supported for SecurityRequirement; use '${SECURITY_REQUIREMENT_API_VERSION}'`,
      );
    }
    return false;
  }
  const problems = securityRequirementProblems(entity);
  if (problems.length) {
    throw new TypeError(
      `Invalid SecurityRequirement ${
        entity.metadata?.name ?? ''
      }: ${problems.join('; ')}`,
    );
  }
  return true;
}
