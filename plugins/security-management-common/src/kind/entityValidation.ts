import { Entity } from '@backstage/catalog-model';
import Ajv, { ErrorObject } from 'ajv';
import { SECURITY_MANAGEMENT_API_GROUP } from '../constants';
import { normalizeEntityRef } from '../refs';

// The building blocks the SecurityControl, SecurityPolicy and
// SecurityRequirement validators share. Not exported from the package.

/**
 * A kind's own wording for a schema error: a message, or undefined to use
 * the common one.
 */
export type SchemaErrorMessage = (
  path: string,
  error: ErrorObject,
) => string | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key's field path under a path (`spec` + `owner` is `spec.owner`). */
export function joinPath(path: string, key: string) {
  return path ? `${path}.${key}` : key;
}

/** A JSON pointer as the dotted field path a message names. */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .reduce(
      (path, part) =>
        /^\d+$/.test(part) ? `${path}[${part}]` : joinPath(path, part),
      '',
    );
}

/** `minLength` as most kinds word it. */
export const mustNotBeEmpty: SchemaErrorMessage = path =>
  `${path} must not be empty`;

/** `maxItems` as most kinds word it. */
export const tooManyItems: SchemaErrorMessage = (path, error) =>
  `${path} has ${
    Array.isArray(error.data) ? error.data.length : 'too many'
  } items; the most is ${(error.params as Record<string, any>).limit}`;

function describe(error: ErrorObject, path: string): string {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return `${joinPath(path, params.missingProperty)} is required`;
    case 'additionalProperties':
      return `${joinPath(
        path,
        params.additionalProperty,
      )} is not a known field`;
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
    default:
      return `${path || 'entity'} ${error.message}`;
  }
}

/**
 * Compiles a kind's JSON schema into a function that returns one message
 * per schema error, each naming the field. `messages` words a keyword the
 * kind's own way; a keyword it leaves out (or whose function returns
 * undefined) gets the common message.
 */
export function compileEntitySchema(
  schema: object,
  messages: Partial<Record<string, SchemaErrorMessage>> = {},
): (entity: Entity) => string[] {
  // verbose: errors carry the offending value, so a message can say how long it is.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const validate = ajv.compile(schema);
  return entity => {
    if (validate(entity)) return [];
    return (validate.errors ?? []).map(error => {
      const path = fieldPath(error.instancePath);
      return messages[error.keyword]?.(path, error) ?? describe(error, path);
    });
  };
}

/**
 * Checks a ref; returns the normalised ref, or undefined after recording
 * the problem. With a `label`, the ref must also name an entity of `kind`
 * (`must name {label}`); without one, `kind` is only the default.
 */
export function checkRef(
  value: unknown,
  options: { path: string; kind: string; label?: string; namespace?: string },
  problems: string[],
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const ref = normalizeEntityRef(value, {
    defaultKind: options.kind,
    defaultNamespace: options.namespace,
  });
  if (!ref) {
    problems.push(
      `${options.path} '${value}' is not a valid entity ref; expected [kind:][namespace/]name`,
    );
    return undefined;
  }
  if (
    options.label !== undefined &&
    !ref.startsWith(`${options.kind.toLocaleLowerCase('en-US')}:`)
  ) {
    problems.push(`${options.path} '${value}' must name ${options.label}`);
    return undefined;
  }
  return ref;
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
      nulPaths(item, joinPath(path, key)),
    );
  }
  return [];
}

/**
 * Records a problem for every string that holds a NUL character in the
 * entity's `spec` (as read, a record) and the `metadata` fields named.
 */
export function checkNoNul(
  entity: Entity,
  options: {
    spec: Record<string, unknown>;
    metadata: Array<'title' | 'description' | 'tags'>;
  },
  problems: string[],
) {
  for (const path of [
    ...options.metadata.flatMap(field =>
      nulPaths(entity.metadata?.[field], `metadata.${field}`),
    ),
    ...nulPaths(options.spec, 'spec'),
  ]) {
    problems.push(`${path} must not contain NUL characters`);
  }
}

/**
 * Validates an entity of one of our kinds: false for entities of other
 * kinds, true for a valid one; throws a TypeError for an apiVersion of our
 * group the kind does not know, and one that lists every problem (each
 * naming its field) for an invalid entity.
 */
export function validateKindEntity<T extends Entity>(
  entity: Entity,
  options: {
    kind: string;
    apiVersion: string;
    isKind: (entity: Entity) => entity is T;
    problems: (entity: T) => string[];
  },
): boolean {
  const { kind } = options;
  if (!options.isKind(entity)) {
    if (
      entity.kind === kind &&
      entity.apiVersion?.startsWith(`${SECURITY_MANAGEMENT_API_GROUP}/`)
    ) {
      throw new TypeError(
        `apiVersion '${entity.apiVersion}' is not supported for ${kind}; use '${options.apiVersion}'`,
      );
    }
    return false;
  }
  const problems = options.problems(entity);
  if (problems.length) {
    throw new TypeError(
      `Invalid ${kind} ${entity.metadata?.name ?? ''}: ${problems.join('; ')}`,
    );
  }
  return true;
}
