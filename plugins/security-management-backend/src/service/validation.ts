import { InputError } from '@backstage/errors';
import {
  CONTROL_STATUSES,
  ExceptionStatus,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  MAX_TEST_RECORD_BATCH,
  ReviewOutcome,
  ReviewStatus,
  RollupDimension,
  SecurityTestMethod,
  TEST_RESULTS,
  toMillis,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';
import { z } from 'zod';

/*
 * Zod schemas for every request the router accepts. Entity refs come out
 * normalised (see normalizeEntityRef) and timestamps as ISO-8601 in UTC, so
 * the store never sees two spellings of the same thing.
 */

const TEST_METHODS: readonly SecurityTestMethod[] = [
  'automated',
  'manual',
  'penetration-test',
  'audit',
];
const REVIEW_OUTCOMES: readonly ReviewOutcome[] = [
  'approved',
  'approved-with-conditions',
  'changes-required',
];
const EXCEPTION_STATUSES: readonly ExceptionStatus[] = [
  'requested',
  'approved',
  'rejected',
  'expired',
];
const REVIEW_STATUSES: readonly ReviewStatus[] = [
  'current',
  'due-soon',
  'overdue',
  'never-reviewed',
];
const ROLLUP_DIMENSIONS: readonly RollupDimension[] = [
  'owner',
  'system',
  'domain',
];

/** Most entity refs one posture batch may ask for. */
export const MAX_POSTURE_BATCH = 1000;

/** A timestamp may be this far ahead of the server clock (clock skew). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

function oneOf<T extends string>(values: readonly T[]) {
  return z.enum(values as [T, ...T[]]);
}

function text(max: number) {
  return z.string().trim().max(max);
}

function requiredText(max: number) {
  return z.string().trim().min(1).max(max);
}

function entityRef(defaultKind?: string) {
  return z
    .string()
    .trim()
    .min(1)
    .transform((value, ctx) => {
      const ref = normalizeEntityRef(value, { defaultKind });
      if (!ref) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: defaultKind
            ? `'${value}' is not an entity ref; expected [${defaultKind}:][namespace/]name`
            : `'${value}' is not an entity ref; expected kind:[namespace/]name`,
        });
        return z.NEVER;
      }
      return ref;
    });
}

const anyEntityRef = entityRef();
const controlRef = entityRef('securitycontrol');
const groupRef = entityRef('group');

const timestamp = z.iso
  .datetime({ offset: true })
  .transform(value => new Date(toMillis(value)).toISOString());

const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

const id = requiredText(200);

const limit = z.coerce.number().int().min(1).max(500).default(50);
const offset = z.coerce.number().int().min(0).default(0);

/** A query parameter given once, repeated, or comma-separated. */
function listParam<T extends z.ZodType>(item: T) {
  return z.preprocess(
    value =>
      value === undefined
        ? undefined
        : [value]
            .flat()
            .flatMap(part =>
              typeof part === 'string' ? part.split(',') : [part],
            )
            .map(part => (typeof part === 'string' ? part.trim() : part))
            .filter(part => part !== ''),
    z.array(item).optional(),
  );
}

const booleanParam = z
  .enum(['true', 'false'])
  .transform(value => value === 'true');

// --- test records ---

/** One test record, alone or in a batch. */
export const testRecordInputSchema = z.strictObject({
  controlRef,
  entityRef: anyEntityRef,
  result: oneOf(TEST_RESULTS),
  testedAt: timestamp.optional(),
  method: oneOf(TEST_METHODS).optional(),
  evidenceUrl: httpUrl.optional(),
  notes: text(10000).optional(),
  externalId: requiredText(200).optional(),
});

/** POST /test-records/batch body. */
export const testRecordBatchSchema = z.strictObject({
  records: z
    .array(testRecordInputSchema)
    .min(1, { error: 'must hold at least one record' })
    .max(MAX_TEST_RECORD_BATCH, {
      error: `must hold at most ${MAX_TEST_RECORD_BATCH} records; split larger uploads into several batches`,
    }),
});

/** GET /test-records query. */
export const testRecordQuerySchema = z.object({
  limit,
  offset,
  entityRef: anyEntityRef.optional(),
  controlRef: controlRef.optional(),
});

// --- incidents ---

const externalReference = z.strictObject({
  type: requiredText(100),
  url: httpUrl,
  label: text(200).optional(),
});

const incidentFields = {
  title: requiredText(200),
  description: text(20000),
  severity: oneOf(INCIDENT_SEVERITIES),
  affectedEntities: z.array(anyEntityRef).min(1).max(100),
  failedControls: z.array(controlRef).max(100),
  externalReferences: z.array(externalReference).max(50),
};

/** POST /incidents body. */
export const incidentInputSchema = z.strictObject({
  ...incidentFields,
  description: incidentFields.description.optional(),
  failedControls: incidentFields.failedControls.optional(),
  externalReferences: incidentFields.externalReferences.optional(),
  reportedAt: timestamp.optional(),
});

const version = z.number().int().min(0);

/** PATCH /incidents/:id body. */
export const incidentPatchSchema = z
  .strictObject({
    version,
    title: incidentFields.title.optional(),
    description: incidentFields.description.optional(),
    severity: incidentFields.severity.optional(),
    affectedEntities: incidentFields.affectedEntities.optional(),
    failedControls: incidentFields.failedControls.optional(),
    externalReferences: incidentFields.externalReferences.optional(),
  })
  .refine(patch => Object.keys(patch).some(key => key !== 'version'), {
    error: 'nothing to change; send at least one field besides version',
  });

/** POST /incidents/:id/transitions body. */
export const incidentTransitionSchema = z.strictObject({
  to: oneOf(INCIDENT_STATUSES),
  version,
  note: text(5000).optional(),
});

/** PUT /incidents/:id/review body. */
export const incidentReviewSchema = z.strictObject({
  version,
  rootCause: requiredText(20000),
  lessons: text(20000),
  remediationActions: z.array(requiredText(2000)).max(100),
});

/** GET /incidents query. */
export const incidentQuerySchema = z.object({
  limit,
  offset,
  status: listParam(oneOf(INCIDENT_STATUSES)),
  severity: listParam(oneOf(INCIDENT_SEVERITIES)),
  owner: groupRef.optional(),
  entityRef: anyEntityRef.optional(),
  open: booleanParam.optional(),
});

/** The `:id` of an incident or an exception. */
export const idParamsSchema = z.object({ id });

// --- reviews ---

/** POST /reviews body. */
export const reviewInputSchema = z
  .strictObject({
    entityRef: anyEntityRef,
    outcome: oneOf(REVIEW_OUTCOMES),
    findings: requiredText(20000),
    conditions: z.array(requiredText(1000)).max(50).optional(),
    reviewedAt: timestamp.optional(),
    nextDueAt: timestamp.optional(),
  })
  .refine(
    review =>
      review.outcome !== 'approved-with-conditions' ||
      (review.conditions?.length ?? 0) > 0,
    {
      path: ['conditions'],
      error: 'approved-with-conditions needs at least one condition',
    },
  );

/** GET /reviews query. */
export const reviewQuerySchema = z.object({
  limit,
  offset,
  entityRef: anyEntityRef.optional(),
});

// --- exceptions ---

/** POST /exceptions body. */
export const exceptionInputSchema = z.strictObject({
  controlRef,
  entityRef: anyEntityRef,
  justification: requiredText(5000),
  expiresAt: timestamp,
});

/** POST /exceptions/:id/approve and /reject body. */
export const exceptionDecisionSchema = z.strictObject({
  note: text(5000).optional(),
});

/** GET /exceptions query. */
export const exceptionQuerySchema = z.object({
  limit,
  offset,
  status: listParam(oneOf(EXCEPTION_STATUSES)),
  entityRef: anyEntityRef.optional(),
  controlRef: controlRef.optional(),
  expiresBefore: timestamp.optional(),
});

// --- controls, posture, schedule, report ---

/** GET /controls/coverage query. */
export const controlCoverageQuerySchema = z.object({ controlRef });

/** GET /posture/entity query. */
export const postureEntityQuerySchema = z.object({ entityRef: anyEntityRef });

/** POST /posture/batch body. */
export const postureBatchSchema = z.strictObject({
  entityRefs: z.array(anyEntityRef).min(1).max(MAX_POSTURE_BATCH),
});

/** GET /posture query. */
export const postureListQuerySchema = z.object({
  limit,
  offset,
  controlStatus: listParam(oneOf(CONTROL_STATUSES)),
  reviewStatus: listParam(oneOf(REVIEW_STATUSES)),
  owner: groupRef.optional(),
  system: entityRef('system').optional(),
  domain: entityRef('domain').optional(),
  kind: requiredText(100)
    .transform(kind => kind.toLocaleLowerCase('en-US'))
    .optional(),
});

/** GET /posture/rollup query. */
export const postureRollupQuerySchema = z.object({
  by: oneOf(ROLLUP_DIMENSIONS).default('owner'),
});

/** GET /schedule query. */
export const scheduleQuerySchema = z
  .object({
    from: timestamp.optional(),
    to: timestamp.optional(),
    owner: groupRef.optional(),
  })
  .refine(
    range =>
      !range.from || !range.to || toMillis(range.from) <= toMillis(range.to),
    { path: ['to'], error: 'must not be before from' },
  );

/** GET /report query. */
export const reportQuerySchema = z.object({
  format: z.enum(['json', 'csv']).default('json'),
});

// --- turning issues into messages ---

function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}`;
    case 'invalid_format':
      if (issue.format === 'datetime') {
        return 'expected an ISO-8601 timestamp with a time zone, such as 2025-01-31T09:00:00Z';
      }
      if (issue.format === 'url') return 'expected an http or https URL';
      return undefined;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .map(key => `'${key}'`)
        .join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return issue.minimum === 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`;
      }
      if (issue.origin === 'array') {
        return `must have at least ${issue.minimum} item${
          issue.minimum === 1 ? '' : 's'
        }`;
      }
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') {
        return `must be at most ${issue.maximum} characters`;
      }
      if (issue.origin === 'array') {
        return `must have at most ${issue.maximum} items`;
      }
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}

/** `['records', 3, 'result']` as `records[3].result`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

/** How many problems one error message lists before summarising. */
const MAX_LISTED_PROBLEMS = 20;

/** Joins problems into one message, listing at most a screenful. */
export function joinProblems(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
  const more = problems.length - MAX_LISTED_PROBLEMS;
  return more > 0 ? `${listed}; and ${more} more` : listed;
}

function parse<T extends z.ZodType>(
  schema: T,
  options: { value: unknown; where: string },
): z.output<T> {
  const result = schema.safeParse(options.value, { error: describeIssue });
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const path = formatPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new InputError(`Invalid ${options.where}: ${joinProblems(problems)}`);
}

/**
 * Parses a request body, or throws an InputError whose message names every
 * bad field, e.g.
 * `Invalid request body: records[3].result: expected one of pass|fail|partial|error`.
 */
export function parseBody<T extends z.ZodType>(
  schema: T,
  body: unknown,
): z.output<T> {
  return parse(schema, { value: body, where: 'request body' });
}

/** Parses query parameters like {@link parseBody}. */
export function parseQuery<T extends z.ZodType>(
  schema: T,
  query: unknown,
): z.output<T> {
  return parse(schema, { value: query, where: 'query parameters' });
}

/** Parses path parameters like {@link parseBody}. */
export function parseParams<T extends z.ZodType>(
  schema: T,
  params: unknown,
): z.output<T> {
  return parse(schema, { value: params, where: 'path parameters' });
}
