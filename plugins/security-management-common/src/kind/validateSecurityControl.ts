import { Entity } from '@backstage/catalog-model';
import Ajv, { ErrorObject } from 'ajv';
import { Duration } from 'luxon';
import {
  SECURITY_CONTROL_API_VERSION,
  SECURITY_CONTROL_KIND,
  SECURITY_MANAGEMENT_API_GROUP,
} from '../constants';
import { normalizeEntityRef } from '../refs';
import schema from './SecurityControl.v1alpha1.schema.json';
import { isSecurityControlEntity } from './SecurityControlEntityV1alpha1';

// verbose: errors carry the offending value, so a message can say how long it is.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile(schema);

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .reduce((path, part) => {
      if (/^\d+$/.test(part)) return `${path}[${part}]`;
      return join(path, part);
    }, '');
}

function join(path: string, key: string) {
  return path ? `${path}.${key}` : key;
}

function describe(error: ErrorObject): string {
  const path = fieldPath(error.instancePath);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return `${join(path, params.missingProperty)} is required`;
    case 'additionalProperties':
      return path.startsWith('spec.appliesTo[')
        ? `${join(
            path,
            params.additionalProperty,
          )} is not a selector key; use kind, type, lifecycle, system, owner, namespace or tags`
        : `${join(path, params.additionalProperty)} is not a known field`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[])
        .map(v => `'${v}'`)
        .join(', ')}`;
    case 'type':
      return `${path || 'entity'} must be of type ${params.type}`;
    case 'maxLength':
      return `${path} is ${
        typeof error.data === 'string' ? error.data.length : 'too many'
      } characters long; the most is ${params.limit}`;
    case 'maxItems':
      return `${path} has ${
        Array.isArray(error.data) ? error.data.length : 'too many'
      } items; the most is ${params.limit}`;
    default:
      return `${path || 'entity'} ${error.message}`;
  }
}

/**
 * Whether a string is a positive ISO-8601 duration such as `P90D` or `PT12H`.
 *
 * @public
 */
export function isIsoDuration(value: string): boolean {
  const duration = Duration.fromISO(value);
  return duration.isValid && duration.toMillis() > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkRef(
  value: string,
  path: string,
  defaultKind: string | undefined,
  problems: string[],
) {
  const valid = normalizeEntityRef(value, { defaultKind }) !== undefined;
  if (!valid) {
    problems.push(
      `${path} '${value}' is not a valid entity ref; expected [kind:][namespace/]name`,
    );
  }
}

/**
 * The paths of the strings under a value that hold a NUL character, which
 * PostgreSQL cannot store in text.
 */
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
 * Checks a SecurityControl entity against its JSON schema and the rules a
 * schema cannot express (ISO-8601 cadence, entity refs). Returns one message
 * per problem, each naming the field; an empty list means the entity is valid.
 *
 * @public
 */
export function securityControlProblems(entity: Entity): string[] {
  const problems = validateSchema(entity)
    ? []
    : (validateSchema.errors ?? []).map(describe);
  // The checks below still run when the schema fails, so that one pass
  // reports every problem; each guards the shape it reads.
  const spec: Record<string, unknown> = isRecord(entity.spec)
    ? entity.spec
    : {};
  if (typeof spec.owner === 'string' && spec.owner) {
    checkRef(spec.owner, 'spec.owner', 'Group', problems);
  }
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
        if (typeof value !== 'string' || !value) continue;
        checkRef(
          value,
          `spec.appliesTo[${index}].${key}`,
          key === 'system' ? 'System' : 'Group',
          problems,
        );
      }
    }
  });
  for (const path of [
    ...nulPaths(entity.metadata?.title, 'metadata.title'),
    ...nulPaths(entity.metadata?.description, 'metadata.description'),
    ...nulPaths(entity.metadata?.tags, 'metadata.tags'),
    ...nulPaths(spec, 'spec'),
  ]) {
    problems.push(`${path} must not contain NUL characters`);
  }
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
  if (!isSecurityControlEntity(entity)) {
    if (
      entity.kind === SECURITY_CONTROL_KIND &&
      entity.apiVersion?.startsWith(`${SECURITY_MANAGEMENT_API_GROUP}/`)
    ) {
      throw new TypeError(
        `apiVersion '${entity.apiVersion}' is not supported for SecurityControl; use '${SECURITY_CONTROL_API_VERSION}'`,
      );
    }
    return false;
  }
  const problems = securityControlProblems(entity);
  if (problems.length) {
    throw new TypeError(
      `Invalid SecurityControl ${entity.metadata?.name ?? ''}: ${problems.join(
        '; ',
      )}`,
    );
  }
  return true;
}
