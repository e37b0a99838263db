import { z } from 'zod';
import {
  anyEntityRefSchema,
  oneOf,
  timestampSchema,
} from './contract/validation';
import {
  CONTROL_STATUSES,
  controlStatusCountsSchema,
  POSTURE_GRADES,
  REVIEW_STATUSES,
  ReviewStatus,
  reviewStatusCountsSchema,
} from './types';

/*
 * Posture history: a daily snapshot of every entity's posture, trends over
 * 30, 90 or 365 days per entity, owner, system, domain and the whole
 * organisation, and what changed over such a period.
 */

const count = z.number().int().min(0);

/** The periods a trend covers, in days. @public */
export const TREND_DAYS = [30, 90, 365] as const;
/** A period a trend covers, in days. @public */
export type TrendDays = (typeof TREND_DAYS)[number];

/** What a trend is about beyond one entity. @public */
export const TREND_SCOPES = [
  'organisation',
  'owner',
  'system',
  'domain',
] as const;
/** What a trend is about beyond one entity. @public */
export type TrendScope = (typeof TREND_SCOPES)[number];

/**
 * Where a point comes from: `snapshot`, taken by the daily job on that day;
 * `backfill`, computed later from the test, review, exception and advisory
 * records dated up to the end of that day, over the catalog as it was when
 * computed (for the days before the first snapshot).
 *
 * @public
 */
export const TREND_POINT_SOURCES = ['snapshot', 'backfill'] as const;

const daysSchema = z.coerce
  .number<number>()
  .int()
  .refine(days => (TREND_DAYS as readonly number[]).includes(days), {
    error: 'must be 30, 90 or 365',
  })
  .default(30)
  .transform(days => days as TrendDays);

/** GET /history/entity query. @public */
export const entityTrendQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
  days: daysSchema,
});
/** GET /history/entity query. @public */
export type EntityTrendQuery = z.input<typeof entityTrendQuerySchema>;

/** Checks that `key` is given for a group and left out for the organisation. */
function keyMatchesScope(
  query: { by: TrendScope; key?: string },
  ctx: z.RefinementCtx,
) {
  if (query.by === 'organisation' && query.key !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['key'],
      message: 'must be left out for the organisation',
    });
  }
  if (query.by !== 'organisation' && query.key === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['key'],
      message: `is required: the ${query.by} to show`,
    });
  }
}

/** GET /history/trend query: the organisation, or one owner, system or domain. @public */
export const groupTrendQuerySchema = z
  .object({
    by: oneOf(TREND_SCOPES).default('organisation'),
    /** The group's entity ref (group, system or domain), with its kind. */
    key: anyEntityRefSchema.optional(),
    days: daysSchema,
  })
  .superRefine(keyMatchesScope);
/** GET /history/trend query. @public */
export type GroupTrendQuery = z.input<typeof groupTrendQuerySchema>;

/** One day of a trend. @public */
export const trendPointSchema = z.strictObject({
  /** The day, in UTC (YYYY-MM-DD). */
  day: z.iso.date(),
  source: oneOf(TREND_POINT_SOURCES),
  /** Entities counted that day (1 for an entity's trend). */
  entityCount: count,
  counts: controlStatusCountsSchema,
  /** Entities by review status (for an entity, 1 in its status). */
  review: reviewStatusCountsSchema,
  /** Active advisory findings, and those past due. */
  advisories: z.strictObject({ active: count, overdue: count }),
  /**
   * An entity's posture score that day; for a group, its control coverage
   * (see postureScore). Null when no control applied.
   */
  score: z.number().min(0).max(100).nullable(),
  grade: oneOf(POSTURE_GRADES),
});
/** One day of a trend. @public */
export type TrendPoint = z.infer<typeof trendPointSchema>;

/** A trend's answer: one point per day with a snapshot, oldest first. @public */
export const postureTrendSchema = z.strictObject({
  scope: z.strictObject({
    by: z.union([z.literal('entity'), oneOf(TREND_SCOPES)]),
    /** The entity or group ref; absent for the organisation. */
    key: z.string().optional(),
  }),
  days: z.number().int(),
  /** The first and last day of the period (UTC). */
  from: z.iso.date(),
  to: z.iso.date(),
  points: z.array(trendPointSchema),
});
/** A trend's answer. @public */
export type PostureTrend = z.infer<typeof postureTrendSchema>;

/** The kinds of change the "what changed" list names. @public */
export const POSTURE_CHANGE_KINDS = [
  'new-failure',
  'newly-overdue',
  'fixed',
] as const;
/** A kind of change. @public */
export type PostureChangeKind = (typeof POSTURE_CHANGE_KINDS)[number];

/** Most changes one answer lists; `counts` has them all. @public */
export const MAX_POSTURE_CHANGES = 200;

/**
 * One control on one entity whose status changed over the period, derived
 * from the records: its status at the start and at the end of the period.
 * `new-failure`: failing at the end and not at the start; `newly-overdue`:
 * overdue at the end and not at the start; `fixed`: failing or overdue at
 * the start and passing at the end.
 *
 * @public
 */
export const postureChangeSchema = z.strictObject({
  kind: oneOf(POSTURE_CHANGE_KINDS),
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  controlRef: z.string(),
  controlTitle: z.string(),
  before: oneOf(CONTROL_STATUSES),
  after: oneOf(CONTROL_STATUSES),
  /**
   * When it happened: the test that failed or passed, or the instant the
   * last pass went out of date.
   */
  at: timestampSchema,
});
/** One change. @public */
export type PostureChange = z.infer<typeof postureChangeSchema>;

/** What changed over a period, newest first. @public */
export const postureChangesSchema = z.strictObject({
  from: timestampSchema,
  to: timestampSchema,
  counts: z.record(oneOf(POSTURE_CHANGE_KINDS), count),
  /** At most {@link MAX_POSTURE_CHANGES}, newest first. */
  items: z.array(postureChangeSchema),
  totalCount: count,
});
/** What changed over a period. @public */
export type PostureChanges = z.infer<typeof postureChangesSchema>;

/** An empty count of entities by review status, every status present. @public */
export function emptyReviewCounts(): Record<ReviewStatus, number> {
  const counts = {} as Record<ReviewStatus, number>;
  for (const status of REVIEW_STATUSES) counts[status] = 0;
  return counts;
}
