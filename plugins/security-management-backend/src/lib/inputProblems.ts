import { InputError } from '@backstage/errors';
import {
  joinProblems,
  MAX_CLOCK_SKEW_MS,
  toMillis,
} from '@open-itsm/plugin-security-management-common';

/** The InputError of a request body with these problems. */
export function inputError(problems: string[]): InputError {
  return new InputError(`Invalid request body: ${joinProblems(problems)}`);
}

/** Whether an instant lies further in the future than clocks drift. */
export function isFuture(value: string, now: Date): boolean {
  return toMillis(value) > now.getTime() + MAX_CLOCK_SKEW_MS;
}
