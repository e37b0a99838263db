import { InputError } from '@backstage/errors';
import {
  checkInput,
  describeProblems,
} from '@open-itsm/plugin-security-management-common';
import { z } from 'zod';

/*
 * Request validation at the edge, with the contract's schemas from -common:
 * a bad request is an InputError (400) whose message names every bad field,
 * e.g. `Invalid request body: records[3].result: expected one of pass|fail|partial|error`.
 * Entity refs come out normalised and timestamps as ISO-8601 in UTC.
 */

export {
  controlCoverageQuerySchema,
  exceptionDecisionInputSchema as exceptionDecisionSchema,
  exceptionInputSchema,
  exceptionQuerySchema,
  idParamsSchema,
  incidentInputSchema,
  incidentPatchSchema,
  incidentQuerySchema,
  incidentReviewInputSchema as incidentReviewSchema,
  incidentTransitionInputSchema as incidentTransitionSchema,
  joinProblems,
  MAX_CLOCK_SKEW_MS,
  MAX_POSTURE_BATCH,
  postureBatchInputSchema as postureBatchSchema,
  postureEntityQuerySchema,
  postureListQuerySchema,
  postureRollupQuerySchema,
  reportQuerySchema,
  reviewInputSchema,
  reviewQuerySchema,
  scheduleQuerySchema,
  testRecordBatchInputSchema as testRecordBatchSchema,
  testRecordInputSchema,
  testRecordQuerySchema,
} from '@open-itsm/plugin-security-management-common';

function parse<T extends z.ZodType>(
  schema: T,
  options: { value: unknown; where: string },
): z.output<T> {
  const check = checkInput(schema, options.value);
  if (check.success) return check.data;
  throw new InputError(
    `Invalid ${options.where}: ${describeProblems(check.problems)}`,
  );
}

/** Parses a request body, or throws an InputError naming every bad field. */
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
