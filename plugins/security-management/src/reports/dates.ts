import {
  REPORT_DEFAULT_PERIOD_DAYS,
  ReportQuery,
  TestReportQuery,
} from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';
import { endOfDay } from '../lib/validation';

/*
 * The date fields of the report forms (`yyyy-MM-dd`, local time) and the
 * queries they stand for: a day ends at its last instant, a period starts
 * at the first instant of its first day, and today means now.
 */

const startOfDay = (date: string) =>
  DateTime.fromISO(date).startOf('day').toUTC().toISO()!;

const lastInstant = (date: string) => endOfDay(date).toUTC().toISO()!;

/** Today, and the default period that ends with it. */
export function defaultPeriod(today = DateTime.now()): {
  from: string;
  to: string;
} {
  return {
    from: today.minus({ days: REPORT_DEFAULT_PERIOD_DAYS }).toISODate()!,
    to: today.toISODate()!,
  };
}

/** What is wrong with a period of date fields, or undefined. */
export function periodProblem(
  period: { from: string; to: string },
  today = DateTime.now().toISODate()!,
): string | undefined {
  if (!period.from || !period.to) return 'Choose both dates';
  if (period.to > today) return 'The report cannot look into the future';
  if (period.from > period.to) return 'The period starts after it ends';
  return undefined;
}

/**
 * The report's query for a period of date fields: as of the end of its last
 * day (now when that is today) and from the start of its first.
 */
export function reportQueryOf(
  period: { from: string; to: string },
  today = DateTime.now().toISODate()!,
): Omit<ReportQuery, 'format' | 'section'> {
  return {
    asOf: period.to === today ? undefined : lastInstant(period.to),
    from: startOfDay(period.from),
  };
}

/** A test report's query for a scope and a period of date fields. */
export function testReportQueryOf(
  scope: { controlRef?: string; entityRef?: string },
  period: { from: string; to: string },
  today = DateTime.now().toISODate()!,
): Omit<TestReportQuery, 'format'> {
  return {
    ...scope,
    from: startOfDay(period.from),
    to: period.to === today ? undefined : lastInstant(period.to),
  };
}

/** `component:default/shop` as `component-default-shop`, as the backend names files. */
export function fileNameOf(ref: string): string {
  return ref.replace(/[^a-z0-9._-]+/gi, '-');
}
