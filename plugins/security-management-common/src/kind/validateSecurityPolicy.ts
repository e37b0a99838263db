import { Entity } from '@backstage/catalog-model';
import { DateTime } from 'luxon';
import {
  SECURITY_POLICY_API_VERSION,
  SECURITY_POLICY_KIND,
} from '../constants';
import { addDuration } from '../posture';
import { normalizeEntityRef } from '../refs';
import {
  checkNoNul,
  checkRef,
  compileEntitySchema,
  isRecord,
  mustNotBeEmpty,
  tooManyItems,
  validateKindEntity,
} from './entityValidation';
import schema from './SecurityPolicy.v1alpha1.schema.json';
import {
  isSecurityPolicyEntity,
  SecurityPolicyEntityV1alpha1,
} from './SecurityPolicyEntityV1alpha1';
import { isIsoDuration } from './validateSecurityControl';

const schemaProblems = compileEntitySchema(schema, {
  // YAML reads `version: 1.0` as a number.
  type: (path, error) =>
    path === 'spec.version'
      ? `spec.version must be of type string; quote it in YAML, e.g. '${String(
          error.data,
        )}'`
      : undefined,
  pattern: (path, error) =>
    path.endsWith('.id')
      ? `${path} '${String(
          error.data,
        )}' may hold only lower-case letters, digits and dashes`
      : undefined,
  minItems: path =>
    path === 'spec.statements'
      ? 'spec.statements must hold at least one statement'
      : undefined,
  minLength: mustNotBeEmpty,
  maxItems: tooManyItems,
});

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
  const problems = schemaProblems(entity);
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
  checkNoNul(
    entity,
    { spec, metadata: ['title', 'description', 'tags'] },
    problems,
  );
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
  return validateKindEntity(entity, {
    kind: SECURITY_POLICY_KIND,
    apiVersion: SECURITY_POLICY_API_VERSION,
    isKind: isSecurityPolicyEntity,
    problems: securityPolicyProblems,
  });
}
