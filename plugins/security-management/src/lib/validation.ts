import { normalizeEntityRef } from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';

/** Whether a string is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Whether a string is an entity ref with a kind, e.g. `component:shop`, by
 * the same rule the backend applies.
 */
export function isEntityRef(value: string): boolean {
  return normalizeEntityRef(value) !== undefined;
}

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
