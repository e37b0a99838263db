import {
  checkInput,
  groupRefSchema,
} from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';

/**
 * Whether a string names a group, by the server's own rule: a group ref, with
 * or without its kind (`payments`, `group:default/payments`).
 */
export function isGroupRef(value: string): boolean {
  return checkInput(groupRefSchema, value).success;
}

/** What an owner field says when its value is not a group ref. */
export const GROUP_REF_PROMPT =
  'Enter a group ref such as group:default/payments';

/** A date input value (`yyyy-MM-dd`) as the end of that day, local time. */
export function endOfDay(value: string): DateTime {
  return DateTime.fromISO(value).endOf('day');
}

/** Splits a comma- or newline-separated list into trimmed, non-empty items. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map(item => item.trim())
    .filter(Boolean);
}
