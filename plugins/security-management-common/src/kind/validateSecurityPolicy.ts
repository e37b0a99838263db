import { Entity } from '@backstage/catalog-model';
import Ajv, { ErrorObject } from 'ajv';
import { DateTime } from 'luxon';
import {
  SECURITY_MANAGEMENT_API_GROUP,
  SECURITY_POLICY_API_VERSION,
  SECURITY_POLICY_KIND,
} from '../constants';
import { addDuration } from '../posture';
import { normalizeEntityRef } from '../refs';
import schema from './SecurityPolicy.v1alpha1.schema.json';
import {
  isSecurityPolicyEntity,
  SecurityPolicyEntityV1alpha1,
} from './SecurityPolicyEntityV1alpha1';
import { isIsoDuration } from './validateSecurityControl';

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
      // YAML reads `version: 1.0` as a number.
      return path === 'spec.version'
        ? `spec.version must be of type string; quote it in YAML, e.g. '${String(
            error.data,
          )}'`
        : `${path || 'entity'} must be of type ${params.type}`;
    case 'pattern':
      return path.endsWith('.id')
        ? `${path} '${String(
            error.data,
          )}' may hold only lower-case letters, digits and dashes`
        : `${path} ${error.message}`;
    case 'minItems':
      return path === 'spec.statements'
        ? 'spec.statements must hold at least one statement'
        : `${path} ${error.message}`;
    case 'minLength':
      return `${path} must not be empty`;
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant of a policy date in epoch milliseconds: an ISO-8601 date
 * (`2026-03-01`, midnight UTC) or a date-time with an offset. Undefined for
 * anything else.
 *
 * @public
 */
export function parsePolicyDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!DATE.test(value) && !DATE_TIME.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/**
 * When a policy is next due for review, as ISO-8601 in UTC: its
 * `review.nextReviewAt`, or else its approval date plus its review cadence;
 * undefined when it has neither (a draft never approved).
 *
 * @public
 */
export function policyNextReviewAt(
  spec: Pick<SecurityPolicyEntityV1alpha1['spec'], 'approval' | 'review'>,
): string | undefined {
  const explicit = parsePolicyDate(spec.review.nextReviewAt);
  if (explicit !== undefined) return new Date(explicit).toISOString();
  const approvedAt = parsePolicyDate(spec.approval?.approvedAt);
  if (approvedAt === undefined || !isIsoDuration(spec.review.cadence)) {
    return undefined;
  }
  return new Date(addDuration(approvedAt, spec.review.cadence)).toISOString();
}

/**
 * Checks a ref and that it names an entity of the expected kind; returns
 * the normalised ref, or undefined after recording the problem.
 */
function checkRef(
  value: unknown,
  options: { path: string; kind: string; label: string; namespace?: string },
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
  if (!ref.startsWith(`${options.kind.toLocaleLowerCase('en-US')}:`)) {
    problems.push(`${options.path} '${value}' must name ${options.label}`);
    return undefined;
  }
  return ref;
}

function checkDate(value: unknown, path: string, problems: string[]) {
  if (typeof value === 'string' && parsePolicyDate(value) === undefined) {
    problems.push(
      `${path} '${value}' is not an ISO-8601 date such as 2026-03-01 (or a date-time with an offset)`,
    );
  }
}

function checkStatements(
  statements: unknown,
  namespace: string | undefined,
  problems: string[],
) {
  if (!Array.isArray(statements)) return;
  const firstIndexOfId = new Map<string, number>();
  statements.forEach((statement: unknown, index) => {
    if (!isRecord(statement)) return;
    const path = `spec.statements[${index}]`;
    if (typeof statement.id === 'string') {
      const first = firstIndexOfId.get(statement.id);
      if (first === undefined) {
        firstIndexOfId.set(statement.id, index);
      } else {
        problems.push(
          `${path}.id '${statement.id}' is also the id of spec.statements[${first}]; ids must be unique within the policy`,
        );
      }
    }
    const controls = Array.isArray(statement.controls)
      ? statement.controls
      : [];
    controls.forEach((control: unknown, controlIndex) =>
      checkRef(
        control,
        {
          path: `${path}.controls[${controlIndex}]`,
          kind: 'SecurityControl',
          label: 'a SecurityControl',
          namespace,
        },
        problems,
      ),
    );
  });
}

/**
 * Checks a SecurityPolicy entity against its JSON schema and the rules a
 * schema cannot express (refs and their kinds, dates, the review cadence,
 * an approval when approved, unique statement ids). Returns one message per
 * problem, each naming the field; an empty list means the entity is valid.
 *
 * @public
 */
export function securityPolicyProblems(entity: Entity): string[] {
  const problems = validateSchema(entity)
    ? []
    : (validateSchema.errors ?? []).map(describe);
  // The checks below still run when the schema fails, so that one pass
  // reports every problem; each guards the shape it reads.
  const spec: Record<string, unknown> = isRecord(entity.spec)
    ? entity.spec
    : {};
  const namespace = entity.metadata?.namespace;
  checkRef(
    spec.owner,
    { path: 'spec.owner', kind: 'Group', label: 'a group', namespace },
    problems,
  );
  const approval = isRecord(spec.approval) ? spec.approval : undefined;
  if (approval) {
    checkRef(
      approval.approver,
      {
        path: 'spec.approval.approver',
        kind: 'User',
        label: 'a user',
        namespace,
      },
      problems,
    );
    checkDate(approval.approvedAt, 'spec.approval.approvedAt', problems);
  } else if (spec.status === 'approved' && spec.approval === undefined) {
    problems.push(
      "spec.approval is required when spec.status is 'approved': name the approver and the approval date",
    );
  }
  const review = isRecord(spec.review) ? spec.review : undefined;
  if (typeof review?.cadence === 'string' && !isIsoDuration(review.cadence)) {
    problems.push(
      `spec.review.cadence '${review.cadence}' is not a positive ISO-8601 duration such as P1Y`,
    );
  }
  checkDate(review?.nextReviewAt, 'spec.review.nextReviewAt', problems);
  const parent = checkRef(
    spec.parent,
    {
      path: 'spec.parent',
      kind: SECURITY_POLICY_KIND,
      label: 'a SecurityPolicy',
      namespace,
    },
    problems,
  );
  const self = normalizeEntityRef(
    `${SECURITY_POLICY_KIND}:${namespace ?? 'default'}/${
      entity.metadata?.name
    }`,
  );
  if (parent && parent === self) {
    problems.push('spec.parent names the policy itself');
  }
  checkStatements(spec.statements, namespace, problems);
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
 * Validates a SecurityPolicy entity. Returns false for entities of other
 * kinds, true for a valid policy, and throws a TypeError that lists every
 * problem (each naming its field) for an invalid one.
 *
 * @public
 */
export function validateSecurityPolicyEntity(entity: Entity): boolean {
  if (!isSecurityPolicyEntity(entity)) {
    if (
      entity.kind === SECURITY_POLICY_KIND &&
      entity.apiVersion?.startsWith(`${SECURITY_MANAGEMENT_API_GROUP}/`)
    ) {
      throw new TypeError(
        `apiVersion '${entity.apiVersion}' is not supported for SecurityPolicy; use '${SECURITY_POLICY_API_VERSION}'`,
      );
    }
    return false;
  }
  const problems = securityPolicyProblems(entity);
  if (problems.length) {
    throw new TypeError(
      `Invalid SecurityPolicy ${entity.metadata?.name ?? ''}: ${problems.join(
        '; ',
      )}`,
    );
  }
  return true;
}
