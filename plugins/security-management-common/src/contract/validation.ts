import { z } from 'zod';
import { toMillis } from '../posture';
import { normalizeEntityRef } from '../refs';

/*
 * The building blocks of the API contract, and the one way its problems are
 * put into words. The backend answers a 400 with these messages and the
 * frontend forms show the same ones beside their fields.
 */

/** A zod enum over a readonly list of string literals. @public */
export function oneOf<T extends string>(values: readonly T[]) {
  return z.enum(values as [T, ...T[]]);
}

/**
 * Refuses a NUL character, which PostgreSQL cannot store in text (and no
 * honest value holds): every string the contract accepts goes through it,
 * so such a value is a 400 naming its field, never a database error.
 */
function withoutNul<T extends z.ZodType<string, string>>(schema: T): T {
  return schema.refine(value => !value.includes('\u0000'), {
    error: 'must not contain NUL characters',
  });
}

/** Optional free text, trimmed, at most `max` characters. @public */
export function text(max: number) {
  return withoutNul(z.string().trim().max(max));
}

/** Free text that must not be empty once trimmed. @public */
export function requiredText(max: number) {
  return withoutNul(z.string().trim().min(1).max(max));
}

/**
 * An entity ref, normalised to `kind:namespace/name` in lower case. With a
 * default kind the kind may be left out (`payments-api` with `component`).
 *
 * @public
 */
export function entityRef(defaultKind?: string) {
  return withoutNul(z.string().trim().min(1).max(500)).transform(
    (value, ctx) => {
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
    },
  );
}

/** Any entity ref, with its kind. @public */
export const anyEntityRefSchema = entityRef();
/** A SecurityControl ref; the kind may be left out. @public */
export const controlRefSchema = entityRef('securitycontrol');
/** A group ref; the kind may be left out. @public */
export const groupRefSchema = entityRef('group');

/** The earliest instant the API accepts. */
const MIN_TIMESTAMP = '1970-01-01T00:00:00.000Z';
/** The latest instant the API accepts: the last one with a 4-digit year. */
const MAX_TIMESTAMP = '9999-12-31T23:59:59.999Z';

/**
 * Whether a timestamp lies in [MIN_TIMESTAMP, MAX_TIMESTAMP] once in UTC.
 * Outside it, ISO-8601 needs a sign and a 5- or 6-digit year, which the
 * answers could not carry. True for what is no timestamp at all, which the
 * format check words.
 */
function inTimestampRange(value: string): boolean {
  let millis: number;
  try {
    millis = toMillis(value);
  } catch {
    return true;
  }
  return (
    millis >= Date.parse(MIN_TIMESTAMP) && millis <= Date.parse(MAX_TIMESTAMP)
  );
}

/**
 * A timestamp with a time zone from 1970 to the end of 9999 (in UTC),
 * received in any offset and passed on as ISO-8601 in UTC.
 *
 * @public
 */
export const timestampInputSchema = z.iso
  .datetime({ offset: true })
  .refine(inTimestampRange, {
    error: `must be between ${MIN_TIMESTAMP} and ${MAX_TIMESTAMP}`,
  })
  .transform(value => new Date(toMillis(value)).toISOString());

/** A timestamp the server answers with: ISO-8601 in UTC. @public */
export const timestampSchema = z.iso.datetime({ offset: true });

/** An absolute http(s) URL of at most 2,000 characters. @public */
export const httpUrlSchema = withoutNul(
  z.url({ protocol: /^https?$/ }).max(2000),
);

/** Paging: `limit` 1–500 (default 50). @public */
export const limitSchema = z.coerce
  .number<number>()
  .int()
  .min(1)
  .max(500)
  .default(50);
/** Paging: `offset` ≥ 0 (default 0). @public */
export const offsetSchema = z.coerce.number<number>().int().min(0).default(0);

/**
 * A query parameter given once, repeated (`status=a&status=b`) or
 * comma-separated (`status=a,b`).
 *
 * @public
 */
export function listParam<T extends z.ZodType>(
  item: T,
): z.ZodOptional<z.ZodType<z.output<T>[], z.input<T>[]>> {
  const schema = z.preprocess(
    (value: unknown) =>
      value === undefined
        ? undefined
        : [value]
            .flat()
            .flatMap((part: unknown) =>
              typeof part === 'string' ? part.split(',') : [part],
            )
            .map(part => (typeof part === 'string' ? part.trim() : part))
            .filter(part => part !== ''),
    z.array(item).optional(),
  );
  // The query string arrives as text; a typed client sends the items.
  return schema as z.ZodType as z.ZodOptional<
    z.ZodType<z.output<T>[], z.input<T>[]>
  >;
}

/** A query parameter `true` or `false` (a client may pass a boolean). @public */
export const booleanParamSchema: z.ZodType<boolean, boolean> = z
  .enum(['true', 'false'])
  .transform(value => value === 'true') as z.ZodType as z.ZodType<
  boolean,
  boolean
>;

/** The words for a problem zod found, or undefined for zod's own. */
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

/** `['records', 3, 'result']` as `records[3].result`. @public */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

/** How many problems one error message lists before summarising. */
const MAX_LISTED_PROBLEMS = 20;

/** Joins problems into one message, listing at most a screenful. @public */
export function joinProblems(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
  const more = problems.length - MAX_LISTED_PROBLEMS;
  return more > 0 ? `${listed}; and ${more} more` : listed;
}

/** One problem with a value: where (`records[3].result`, or '') and what. @public */
export interface InputProblem {
  path: string;
  message: string;
}

/** The outcome of {@link checkInput}. @public */
export type InputCheck<T> =
  | { success: true; data: T }
  | { success: false; problems: InputProblem[] };

/**
 * Checks a value against a schema of the contract and words every problem
 * the way the API does.
 *
 * @public
 */
export function checkInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
): InputCheck<z.output<T>> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return { success: true, data: result.data };
  return {
    success: false,
    problems: result.error.issues.map(issue => ({
      path: formatPath(issue.path),
      message: issue.message,
    })),
  };
}

/**
 * The problems of a form's values by field (the first segment of each
 * problem's path), one message per field; `''` holds problems of the whole.
 *
 * @public
 */
export function fieldProblems(
  schema: z.ZodType,
  value: unknown,
): Record<string, string> {
  const check = checkInput(schema, value);
  if (check.success) return {};
  const byField: Record<string, string> = {};
  for (const problem of check.problems) {
    const field = problem.path.split(/[.[]/)[0];
    byField[field] ??= problem.message;
  }
  return byField;
}

/** The problems of a check as one sentence: `a: is required; b[0]: ...`. @public */
export function describeProblems(problems: InputProblem[]): string {
  return joinProblems(
    problems.map(({ path, message }) =>
      path ? `${path}: ${message}` : message,
    ),
  );
}
