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

/** Where in a request a value came from, as the 400's message says it. */
export type RequestPart =
  | 'request body'
  | 'query parameters'
  | 'path parameters'
  | 'action input';

/** Parses a part of a request, or throws an InputError naming every bad field. */
export function parseRequestPart<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: RequestPart,
): z.output<T> {
  const check = checkInput(schema, value);
  if (check.success) return check.data;
  throw new InputError(`Invalid ${where}: ${describeProblems(check.problems)}`);
}
