import { DateTime, Duration } from 'luxon';
import {
  ReviewPosture,
  toMillis,
} from '@open-itsm/plugin-security-management-common';

const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes'] as const;

/** The largest whole unit of a span, e.g. "3 days" or "1 month". */
function humanSpan(from: DateTime, to: DateTime): string {
  const diff = to.diff(from, [...UNITS]);
  const unit = UNITS.find(u => Math.floor(Math.abs(diff.get(u))) >= 1);
  if (!unit) return 'less than a minute';
  const value = Math.floor(Math.abs(diff.get(unit)));
  return Duration.fromObject({ [unit]: value }).toHuman();
}

/**
 * When an entity's next review is due, in words: "due in 12 days",
 * "overdue by 3 days" or "never reviewed".
 */
export function describeReviewDue(
  review: Pick<ReviewPosture, 'nextDueAt'>,
  now: DateTime = DateTime.now(),
): string {
  if (!review.nextDueAt) return 'never reviewed';
  const due = DateTime.fromMillis(toMillis(review.nextDueAt));
  if (due <= now) return `overdue by ${humanSpan(due, now)}`;
  return `due ${due.toRelative({ base: now })}`;
}

/** A test cadence in words: `P90D` is "every 90 days", `P1M` "every month". */
export function describeCadence(cadence: string): string {
  const duration = Duration.fromISO(cadence);
  if (!duration.isValid) return cadence;
  const parts = Object.entries(duration.toObject()).filter(([, v]) => v);
  if (parts.length === 1 && parts[0][1] === 1) {
    return `every ${parts[0][0].replace(/s$/, '')}`;
  }
  return `every ${duration.toHuman()}`;
}

/** A timestamp as a short date, or a dash when absent. */
export function formatDate(value?: string): string {
  if (!value) return '—';
  return DateTime.fromMillis(toMillis(value)).toLocaleString(DateTime.DATE_MED);
}

/** A timestamp as a short date and time, or a dash when absent. */
export function formatDateTime(value?: string): string {
  if (!value) return '—';
  return DateTime.fromMillis(toMillis(value)).toLocaleString(
    DateTime.DATETIME_MED,
  );
}

/** A timestamp relative to now ("3 days ago", "in 2 weeks"). */
export function formatRelative(value?: string): string {
  if (!value) return '—';
  return DateTime.fromMillis(toMillis(value)).toRelative() ?? '—';
}

/** A kebab-case value as words: `penetration-test` is "Penetration test". */
export function humanize(value: string): string {
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A text cut to at most `max` characters (code points, so an emoji is never
 * split), ending with an ellipsis when it was cut.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/**
 * When a control's next test is due, in words: relative to now ("in 2
 * months", "3 days ago"); "Retest now" when its latest test did not pass
 * (the API gives no due date then); "Now" when it was never tested.
 */
export function describeNextTest(control: {
  nextDueAt?: string;
  lastTestedAt?: string;
  retestRequired?: boolean;
}): string {
  // A post-incident review named the control as failed.
  if (control.retestRequired) return 'Retest required';
  if (control.nextDueAt) return formatRelative(control.nextDueAt);
  return control.lastTestedAt ? 'Retest now' : 'Now';
}

/** When a scheduled test is due, in words, or why it has no date. */
export function describeScheduledDue(test: {
  dueAt?: string;
  state: string;
  retestRequired?: boolean;
}): string {
  if (test.retestRequired) return 'Retest now (after an incident)';
  if (test.dueAt) {
    return `${formatDate(test.dueAt)} (${formatRelative(test.dueAt)})`;
  }
  return test.state === 'failing' ? 'Retest now' : 'Never tested';
}
