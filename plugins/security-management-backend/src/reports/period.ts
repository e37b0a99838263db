import { InputError } from '@backstage/errors';
import {
  REPORT_DEFAULT_PERIOD_DAYS,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { isFuture } from '../lib/inputProblems';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instants a report is about, as epoch millis. */
export interface ReportInstants {
  /** The instant posture and statuses are computed at. */
  asOf: number;
  /** The period, both ends included. */
  from: number;
  to: number;
}

function invalid(problem: string): InputError {
  return new InputError(`Invalid query parameters: ${problem}`);
}

/**
 * The report's as-of instant and period from its query: as-of defaults to
 * now and may not lie in the future (beyond clock skew); the period ends at
 * `to` (default as-of) and starts at `from` (default
 * {@link REPORT_DEFAULT_PERIOD_DAYS} days before its end).
 */
export function reportInstants(
  query: { asOf?: string; from?: string; to?: string },
  now: Date,
): ReportInstants {
  if (query.asOf && isFuture(query.asOf, now)) {
    throw invalid(`asOf: ${query.asOf} is more than 5 minutes in the future`);
  }
  const asOf = query.asOf ? toMillis(query.asOf) : now.getTime();
  const period = periodOf(query, asOf);
  if (period.to > asOf) throw invalid('to: must not be after asOf');
  if (period.from > period.to) {
    throw invalid(
      query.to
        ? 'from: must not be after to'
        : 'from: must not be after asOf, where the period ends by default',
    );
  }
  return { asOf, ...period };
}

/**
 * A period from its query: `to` defaults to `end`, `from` to
 * {@link REPORT_DEFAULT_PERIOD_DAYS} days before `to`.
 */
export function periodOf(
  query: { from?: string; to?: string },
  end: number,
): { from: number; to: number } {
  const to = query.to ? toMillis(query.to) : end;
  const from = query.from
    ? toMillis(query.from)
    : to - REPORT_DEFAULT_PERIOD_DAYS * DAY_MS;
  return { from, to };
}
