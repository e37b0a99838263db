import { z } from 'zod';
import { toMillis } from './posture';
import {
  anyEntityRefSchema,
  controlRefSchema,
  oneOf,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';
import {
  EXCEPTION_STATUSES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  incidentSeverityCountsSchema,
  SECURITY_TEST_METHODS,
  TEST_RESULTS,
} from './types';

/*
 * The parts of the IT security report that are about a period (incidents,
 * exceptions, test coverage), and the test reports of a control or an
 * entity. The report itself is `securityReportSchema` in api.ts.
 */

const count = z.number().int().min(0);

/** Days before its end (as of, for the report) that a period covers by default. @public */
export const REPORT_DEFAULT_PERIOD_DAYS = 90;

/**
 * The tables the report's CSV offers, one per download (`section=`): a
 * spreadsheet holds one table per file, so each sorts and filters.
 *
 * @public
 */
export const REPORT_CSV_SECTIONS = [
  'entities',
  'incidents',
  'exceptions',
  'tests',
] as const;
/** A table of the report's CSV. @public */
export type ReportCsvSection = (typeof REPORT_CSV_SECTIONS)[number];

/** `from` is not after `to` when both are given. @public */
export function isOrderedPeriod(range: {
  from?: string;
  to?: string;
}): boolean {
  return !range.from || !range.to || toMillis(range.from) <= toMillis(range.to);
}

/** The instants a report is about. @public */
export const reportPeriodSchema = z.strictObject({
  from: timestampSchema,
  to: timestampSchema,
});

/** An incident the report lists, as known at its as-of instant. @public */
export const reportIncidentSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  severity: oneOf(INCIDENT_SEVERITIES),
  /** Its status at the report's as-of instant. */
  status: oneOf(INCIDENT_STATUSES),
  reportedAt: timestampSchema,
  /** When it was first contained, if by as-of. */
  containedAt: timestampSchema.optional(),
  /** When it was first closed, if by as-of. */
  closedAt: timestampSchema.optional(),
  /** Hours from reported to first contained, one decimal. */
  hoursToContain: z.number().optional(),
  /** Hours from reported to first closed, one decimal. */
  hoursToResolve: z.number().optional(),
  affectedEntities: z.array(z.string()),
});
/** An incident the report lists. @public */
export type ReportIncident = z.infer<typeof reportIncidentSchema>;

/**
 * Incident figures of the report, over the incidents the caller may read.
 * An incident is in the period when it was open at some instant of it.
 *
 * @public
 */
export const reportIncidentFiguresSchema = z.strictObject({
  /** Open at the as-of instant. */
  open: count,
  /** Reported within the period. */
  reportedInPeriod: count,
  /** First contained within the period. */
  containedInPeriod: count,
  /** First closed within the period. */
  resolvedInPeriod: count,
  /** Mean hours from reported to first contained, over those contained in the period. */
  meanHoursToContain: z.number().nullable(),
  /** Mean hours from reported to first closed, over those closed in the period. */
  meanHoursToResolve: z.number().nullable(),
  /** The incidents of the period by severity. */
  bySeverity: incidentSeverityCountsSchema,
  /** The incidents of the period by their status at as-of. */
  byStatus: z.record(oneOf(INCIDENT_STATUSES), count),
  /** The incidents of the period, most recently reported first. */
  items: z.array(reportIncidentSchema),
});
/** Incident figures of the report. @public */
export type ReportIncidentFigures = z.infer<typeof reportIncidentFiguresSchema>;

/** An exception the report lists, with its status at as-of. @public */
export const reportExceptionSchema = z.strictObject({
  id: z.string(),
  controlRef: z.string(),
  controlTitle: z.string().optional(),
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  status: oneOf(EXCEPTION_STATUSES),
  justification: z.string(),
  requestedBy: z.string(),
  requestedAt: timestampSchema,
  decidedBy: z.string().optional(),
  decidedAt: timestampSchema.optional(),
  expiresAt: timestampSchema,
});
/** An exception the report lists. @public */
export type ReportException = z.infer<typeof reportExceptionSchema>;

/**
 * Exception figures of the report, each at the as-of instant or within the
 * period. The items are the exceptions active or pending at as-of, and
 * those requested, decided or expired within the period.
 *
 * @public
 */
export const reportExceptionFiguresSchema = z.strictObject({
  /** Approved and not expired at as-of. */
  active: count,
  /** Active, expiring within 30 days after as-of. */
  expiringIn30Days: count,
  /** Approved ones whose expiry fell within the period. */
  expiredInPeriod: count,
  /** Requested and not decided at as-of. */
  requested: count,
  requestedInPeriod: count,
  approvedInPeriod: count,
  rejectedInPeriod: count,
  items: z.array(reportExceptionSchema),
});
/** Exception figures of the report. @public */
export type ReportExceptionFigures = z.infer<
  typeof reportExceptionFiguresSchema
>;

const coverageCounts = {
  /** Applicable (entity, control) pairs. */
  applicable: count,
  /** Pairs with at least one test within the period. */
  testedInPeriod: count,
  /** Tested pairs whose latest test in the period passed. */
  passing: count,
  /** Tested pairs whose latest test in the period did not pass. */
  failing: count,
  /** Pairs with no test within the period (never tested ones included). */
  notTestedInPeriod: count,
  /** Pairs with no test at all up to as-of. */
  neverTested: count,
};

/** Test coverage of one control within the period. @public */
export const reportControlCoverageSchema = z.strictObject({
  controlRef: z.string(),
  title: z.string(),
  ...coverageCounts,
});

/** Test coverage: controls × entities tested within the period. @public */
export const reportTestCoverageSchema = z.strictObject({
  ...coverageCounts,
  byControl: z.array(reportControlCoverageSchema),
});
/** Test coverage of the report. @public */
export type ReportTestCoverage = z.infer<typeof reportTestCoverageSchema>;

// --- test reports ---

/**
 * GET /reports/tests query: the tests of a control (`controlRef`), of an
 * entity (`entityRef`) or of one pair (both), tested within [from, to]
 * (default: the {@link REPORT_DEFAULT_PERIOD_DAYS} days before now).
 *
 * @public
 */
export const testReportQuerySchema = z
  .object({
    controlRef: controlRefSchema.optional(),
    entityRef: anyEntityRefSchema.optional(),
    from: timestampInputSchema.optional(),
    to: timestampInputSchema.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine(query => query.controlRef || query.entityRef, {
    path: ['controlRef'],
    error: 'controlRef or entityRef is required',
  })
  .refine(isOrderedPeriod, { path: ['to'], error: 'must not be before from' });
/** GET /reports/tests query. @public */
export type TestReportQuery = z.input<typeof testReportQuerySchema>;

/** One test of a test report. @public */
export const testReportItemSchema = z.strictObject({
  id: z.string(),
  controlRef: z.string(),
  controlTitle: z.string().optional(),
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  result: oneOf(TEST_RESULTS),
  method: oneOf(SECURITY_TEST_METHODS),
  testedAt: timestampSchema,
  tester: z.string(),
  evidenceUrl: z.string().optional(),
  notes: z.string().optional(),
  externalId: z.string().optional(),
  recordedAt: timestampSchema,
});
/** One test of a test report. @public */
export type TestReportItem = z.infer<typeof testReportItemSchema>;

/**
 * GET /reports/tests answer: every test of the control or entity within the
 * period, newest first, and the applicable pairs that went untested in it.
 *
 * @public
 */
export const testReportSchema = z.strictObject({
  generatedAt: timestampSchema,
  period: reportPeriodSchema,
  control: z
    .strictObject({
      ref: z.string(),
      title: z.string().optional(),
      cadence: z.string().optional(),
      method: oneOf(SECURITY_TEST_METHODS).optional(),
    })
    .optional(),
  entity: z
    .strictObject({
      ref: z.string(),
      title: z.string().optional(),
      owner: z.string().optional(),
    })
    .optional(),
  summary: z.strictObject({
    tests: count,
    byResult: z.record(oneOf(TEST_RESULTS), count),
    /** Applicable (entity, control) pairs in scope today. */
    applicable: count,
    /** Of those, the pairs tested within the period. */
    testedInPeriod: count,
  }),
  tests: z.array(testReportItemSchema),
  /** Applicable pairs in scope with no test within the period. */
  notTested: z.array(
    z.strictObject({
      controlRef: z.string(),
      controlTitle: z.string().optional(),
      entityRef: z.string(),
      entityTitle: z.string().optional(),
    }),
  ),
});
/** GET /reports/tests answer. @public */
export type TestReport = z.infer<typeof testReportSchema>;
