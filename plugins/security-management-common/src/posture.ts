import { Entity } from '@backstage/catalog-model';
import { DateTime, Duration } from 'luxon';
import { ANNOTATION_RISK_TIER } from './constants';
import {
  ControlStatus,
  ControlStatusCounts,
  IncidentSeverityCounts,
  PostureGrade,
  ReviewStatus,
  TestResult,
} from './types';

/*
 * The one definition of posture. The backend computes the same rules in SQL
 * for lists and roll-ups; its tests compare both against these functions.
 */

/** A point in time as an ISO-8601 string (any offset), a Date or millis. @public */
export type Instant = string | Date | number;

/** Milliseconds since the epoch of an {@link Instant}; throws on garbage. @public */
export function toMillis(value: Instant): number {
  let millis: number;
  if (typeof value === 'number') millis = value;
  else if (value instanceof Date) millis = value.getTime();
  else millis = DateTime.fromISO(value, { setZone: true }).toMillis();
  if (!Number.isFinite(millis)) {
    throw new TypeError(`'${String(value)}' is not a valid timestamp`);
  }
  return millis;
}

/**
 * Adds an ISO-8601 duration to an instant, in UTC (so `P1M` from 31 January
 * is the last day of February everywhere), and returns ISO-8601 in UTC.
 *
 * @public
 */
export function addDuration(start: Instant, duration: string): string {
  const parsed = Duration.fromISO(duration);
  if (!parsed.isValid) {
    throw new TypeError(`'${duration}' is not an ISO-8601 duration`);
  }
  return DateTime.fromMillis(toMillis(start), { zone: 'utc' })
    .plus(parsed)
    .toISO()!;
}

/** What the status of one control on one entity depends on. @public */
export interface ControlStatusInput {
  /** The control's test cadence (ISO-8601 duration). */
  cadence: string;
  /** The latest test record, by tested-at. */
  latest?: { result: TestResult; testedAt: Instant };
  /** The expiry of an approved exception, if there is one. */
  exceptionExpiresAt?: Instant;
  /** A retest post-incident reviews require (see isRetestRequired). */
  retest?: RetestRequirement;
  now: Instant;
}

/**
 * The retest of a control that post-incident reviews require on every
 * entity the control applies to: set when an incident naming the control
 * as failed gets its review or is closed. `after` is when the last such
 * incident closed; absent while one of them is still open.
 *
 * @public
 */
export interface RetestRequirement {
  after?: Instant;
}

/**
 * Whether a retest is still required: until the latest test of the pair
 * is a pass tested after every incident requiring it closed.
 *
 * @public
 */
export function isRetestRequired(input: {
  retest?: RetestRequirement;
  latest?: { result: TestResult; testedAt: Instant };
}): boolean {
  const { retest, latest } = input;
  if (!retest) return false;
  if (retest.after === undefined || latest?.result !== 'pass') return true;
  return toMillis(latest.testedAt) <= toMillis(retest.after);
}

/**
 * The status of one control on one entity:
 *
 * - `excepted`: an approved exception has not yet expired (expiry is
 *   exclusive: an exception expiring now no longer counts);
 * - `untested`: no test record;
 * - `failing`: the latest result is fail, partial or error;
 * - `overdue`: the latest result is pass but as old as the cadence or older,
 *   or a post-incident review requires a retest (see isRetestRequired): a
 *   pass from before the incident closed is evidence gone stale;
 * - `passing`: the latest result is pass and younger than the cadence. A
 *   tested-at in the future (clock skew) counts as fresh.
 *
 * @public
 */
export function controlStatus(input: ControlStatusInput): ControlStatus {
  const now = toMillis(input.now);
  if (
    input.exceptionExpiresAt !== undefined &&
    toMillis(input.exceptionExpiresAt) > now
  ) {
    return 'excepted';
  }
  if (!input.latest) return 'untested';
  if (input.latest.result !== 'pass') return 'failing';
  const due = toMillis(addDuration(input.latest.testedAt, input.cadence));
  if (due <= now || isRetestRequired(input)) return 'overdue';
  return 'passing';
}

/** Review cadence by risk tier unless app-config says otherwise. @public */
export const DEFAULT_REVIEW_CADENCE_BY_TIER: Readonly<Record<number, string>> =
  { 1: 'P90D', 2: 'P180D', 3: 'P365D' };

/** The tier of an entity without a valid risk-tier annotation. @public */
export const DEFAULT_RISK_TIER = 3;

/** A review is "due soon" this long before it is due, by default. @public */
export const DEFAULT_REVIEW_DUE_SOON = 'P30D';

/**
 * An entity's risk tier from its annotation: 1 (critical), 2 or 3 (low).
 * Returns undefined when the annotation is missing or not one of those.
 *
 * @public
 */
export function readRiskTier(entity: Entity): number | undefined {
  const raw = entity.metadata.annotations?.[ANNOTATION_RISK_TIER]?.trim();
  return raw === '1' || raw === '2' || raw === '3' ? Number(raw) : undefined;
}

/**
 * The review status of an entity from when its next review is due, and
 * whether the catalog showed a security-relevant change since the latest
 * review (see ReviewTrigger):
 *
 * - `never-reviewed`: no review;
 * - `overdue`: the next review was due at or before now;
 * - `review-required`: a change was seen after the latest review was done
 *   (`changedAt` later than `lastReviewedAt`), before its due date;
 * - `due-soon`: due within the due-soon window;
 * - `current`: otherwise.
 *
 * @public
 */
export function reviewStatus(options: {
  nextDueAt?: Instant;
  now: Instant;
  dueSoon?: string;
  /** When the latest review was done. */
  lastReviewedAt?: Instant;
  /** When the latest security-relevant change was seen. */
  changedAt?: Instant;
}): ReviewStatus {
  if (options.nextDueAt === undefined) return 'never-reviewed';
  const now = toMillis(options.now);
  const due = toMillis(options.nextDueAt);
  if (due <= now) return 'overdue';
  if (
    options.changedAt !== undefined &&
    options.lastReviewedAt !== undefined &&
    toMillis(options.changedAt) > toMillis(options.lastReviewedAt)
  ) {
    return 'review-required';
  }
  const soon = toMillis(
    addDuration(now, options.dueSoon ?? DEFAULT_REVIEW_DUE_SOON),
  );
  return due <= soon ? 'due-soon' : 'current';
}

/**
 * Whether a review status costs the score its 10 points: the review is
 * overdue, never happened, or no longer covers the entity as it is.
 *
 * @public
 */
export function isReviewLapsed(status: ReviewStatus): boolean {
  return (
    status === 'overdue' ||
    status === 'never-reviewed' ||
    status === 'review-required'
  );
}

/** An empty count of controls by status. @public */
export function emptyControlCounts(): ControlStatusCounts {
  return { passing: 0, failing: 0, overdue: 0, untested: 0, excepted: 0 };
}

/** An empty count of open incidents by severity. @public */
export function emptyIncidentCounts(): IncidentSeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

/**
 * The posture score, 0 to 100, or null when no control applies:
 *
 * 1. control coverage: 100 × (passing + ½ excepted + ¼ overdue) ÷ applicable;
 * 2. minus 10 when the review is overdue, required by a change since it was
 *    done, or the entity was never reviewed (see isReviewLapsed);
 * 3. minus 10 when a security advisory affecting the entity is past its due
 *    date and still open or acknowledged (see isAdvisoryFindingOverdue):
 *    a known vulnerability left unhandled is a control that failed;
 * 4. rounded, and clamped to 0–100.
 *
 * Failing and untested controls earn nothing; an exception is accepted risk,
 * so it earns half. Open incidents are left out on purpose: the score is
 * shown to everyone who may read posture, and incidents only to those who
 * may read them, so they are shown beside the score instead.
 *
 * @public
 */
export function postureScore(options: {
  counts: ControlStatusCounts;
  review: ReviewStatus;
  /** Advisory findings past their due date; none when left out. */
  overdueAdvisories?: number;
}): number | null {
  const { counts, review } = options;
  const applicable =
    counts.passing +
    counts.failing +
    counts.overdue +
    counts.untested +
    counts.excepted;
  if (applicable === 0) return null;
  let score =
    (100 * (counts.passing + 0.5 * counts.excepted + 0.25 * counts.overdue)) /
    applicable;
  if (isReviewLapsed(review)) score -= 10;
  if ((options.overdueAdvisories ?? 0) > 0) score -= 10;
  return Math.min(100, Math.max(0, Math.round(score)));
}

/**
 * The letter grade of a score: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F;
 * N/A when there is no score.
 *
 * @public
 */
export function postureGrade(score: number | null): PostureGrade {
  if (score === null) return 'N/A';
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}
