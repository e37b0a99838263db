import { z } from 'zod';
import {
  anyEntityRefSchema,
  oneOf,
  requiredText,
  text,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';
import {
  CONTROL_STATUSES,
  ControlStatus,
  controlStatusCountsSchema,
  securityExceptionSchema,
  TEST_RESULTS,
} from './types';

/*
 * Frameworks (NIST SP 800-53, ISO/IEC 27001 Annex A, SOC 2): their
 * requirements, imported from OSCAL as SecurityRequirement entities or
 * named by the controls' framework mappings; a service's Statement of
 * Applicability and the organisation's coverage of each framework.
 */

const count = z.number().int().min(0);

/**
 * What the catalog module publishes on `FRAMEWORK_IMPORT_EVENT_TOPIC` after
 * each run of an OSCAL import: how many requirements it imported, or why it
 * failed (the previous import then stays).
 *
 * @public
 */
export const frameworkImportEventSchema = z.object({
  importId: text(200).min(1),
  framework: text(100).min(1),
  target: text(2000),
  at: timestampInputSchema,
  outcome: z.enum(['imported', 'failed']),
  requirementCount: z.number().int().min(0).optional(),
  message: text(20000).optional(),
});
/** @public */
export type FrameworkImportEvent = z.input<typeof frameworkImportEventSchema>;

/**
 * Where a framework's requirements come from: an OSCAL import
 * (SecurityRequirement entities), or only the refs the controls' framework
 * mappings name.
 *
 * @public
 */
export type FrameworkSource = 'imported' | 'mapped';

const frameworkIdSchema = requiredText(100).regex(/^[a-z0-9][a-z0-9.-]*$/, {
  error: 'must be a framework id such as nist-sp-800-53-rev5',
});

/** GET /frameworks answer item: a framework the library imports or maps. @public */
export const frameworkSummarySchema = z.strictObject({
  framework: z.string(),
  title: z.string(),
  source: z.enum(['imported', 'mapped']),
  requirementCount: count,
  /** Controls with at least one mapping to the framework. */
  controlCount: count,
});
/** @public */
export type FrameworkSummary = z.infer<typeof frameworkSummarySchema>;

/** GET /frameworks answer. @public */
export const frameworkListSchema = z.strictObject({
  items: z.array(frameworkSummarySchema),
});
/** @public */
export type FrameworkList = z.infer<typeof frameworkListSchema>;

/**
 * A requirement as both views show it. Imported requirements carry their
 * entity ref and id; a requirement only the controls name has its ref as
 * the label.
 */
const requirementFields = {
  /** Entity ref of the SecurityRequirement (imported requirements). */
  requirementRef: z.string().optional(),
  /** The id in the framework, e.g. `ac-2.1` (imported requirements). */
  controlId: z.string().optional(),
  /** How the framework shows it, e.g. `AC-2(1)`. */
  label: z.string(),
  title: z.string().optional(),
  family: z.string().optional(),
  /** For an enhancement, the id of the control it enhances. */
  parent: z.string().optional(),
};

/**
 * A framework mapping that names no requirement of an imported framework:
 * a warning on the control.
 *
 * @public
 */
export const frameworkWarningSchema = z.strictObject({
  controlRef: z.string(),
  controlTitle: z.string(),
  /** The `ref` as the control's mapping gives it. */
  ref: z.string(),
  message: z.string(),
});
/** @public */
export type FrameworkWarning = z.infer<typeof frameworkWarningSchema>;

/** GET /frameworks/soa query. @public */
export const statementOfApplicabilityQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
  framework: frameworkIdSchema,
  format: z.enum(['json', 'csv']).default('json'),
});
/** @public */
export type StatementOfApplicabilityQuery = z.input<
  typeof statementOfApplicabilityQuerySchema
>;

/** A control that satisfies a requirement, and its state on the entity. @public */
export const soaControlSchema = z.strictObject({
  controlRef: z.string(),
  title: z.string(),
  /** Whether the control applies to the entity. */
  applies: z.boolean(),
  /** Its status on the entity, when it applies. */
  status: oneOf(CONTROL_STATUSES).optional(),
  lastResult: oneOf(TEST_RESULTS).optional(),
  lastTestedAt: timestampSchema.optional(),
  evidenceUrl: z.string().optional(),
  exception: securityExceptionSchema
    .pick({ id: true, expiresAt: true, justification: true })
    .optional(),
});
/** @public */
export type SoaControl = z.infer<typeof soaControlSchema>;

/**
 * One requirement in a Statement of Applicability: applicable when at
 * least one control that satisfies it applies to the entity; its status is
 * then the worst status of those controls on the entity.
 *
 * @public
 */
export const soaRequirementSchema = z.strictObject({
  ...requirementFields,
  applicable: z.boolean(),
  status: oneOf(CONTROL_STATUSES).optional(),
  /**
   * Why it is not applicable; for an applicable requirement whose applying
   * controls are all excepted, the exceptions' justifications.
   */
  justification: z.string().optional(),
  controls: z.array(soaControlSchema),
});
/** @public */
export type SoaRequirement = z.infer<typeof soaRequirementSchema>;

/** GET /frameworks/soa answer: the Statement of Applicability. @public */
export const statementOfApplicabilitySchema = z.strictObject({
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  framework: z.string(),
  frameworkTitle: z.string(),
  source: z.enum(['imported', 'mapped']),
  generatedAt: timestampSchema,
  summary: z.strictObject({
    requirementCount: count,
    applicableCount: count,
    notApplicableCount: count,
    /** Applicable requirements by status. */
    byStatus: controlStatusCountsSchema,
  }),
  requirements: z.array(soaRequirementSchema),
  /** Mappings of the controls that apply to the entity naming no requirement. */
  warnings: z.array(frameworkWarningSchema),
});
/** @public */
export type StatementOfApplicability = z.infer<
  typeof statementOfApplicabilitySchema
>;

/**
 * A requirement's state across the organisation: the worst status of the
 * (entity, control) pairs of the controls that satisfy it; `not-applied`
 * when those controls apply to no entity; `uncovered` when no control
 * satisfies it.
 *
 * @public
 */
export type RequirementCoverageStatus =
  | ControlStatus
  | 'not-applied'
  | 'uncovered';

/** @public */
export const REQUIREMENT_COVERAGE_STATUSES: readonly RequirementCoverageStatus[] =
  [...CONTROL_STATUSES, 'not-applied', 'uncovered'];

/** GET /frameworks/coverage query. @public */
export const frameworkCoverageQuerySchema = z.object({
  framework: frameworkIdSchema,
});
/** @public */
export type FrameworkCoverageQuery = z.input<
  typeof frameworkCoverageQuerySchema
>;

/** A control that satisfies a requirement, across the organisation. @public */
export const coverageControlSchema = z.strictObject({
  controlRef: z.string(),
  title: z.string(),
  /** Entities it applies to. */
  applicableCount: count,
  counts: controlStatusCountsSchema,
});

/** One requirement and the controls that cover it. @public */
export const coverageRequirementSchema = z.strictObject({
  ...requirementFields,
  /** Whether at least one control satisfies it. */
  covered: z.boolean(),
  status: oneOf(REQUIREMENT_COVERAGE_STATUSES),
  /** (entity, control) pairs of its controls, and their statuses. */
  applicableCount: count,
  counts: controlStatusCountsSchema,
  controls: z.array(coverageControlSchema),
});
/** @public */
export type CoverageRequirement = z.infer<typeof coverageRequirementSchema>;

/** GET /frameworks/coverage answer: the organisation's coverage. @public */
export const frameworkCoverageSchema = z.strictObject({
  framework: z.string(),
  frameworkTitle: z.string(),
  source: z.enum(['imported', 'mapped']),
  generatedAt: timestampSchema,
  summary: z.strictObject({
    requirementCount: count,
    coveredCount: count,
    uncoveredCount: count,
    byStatus: z.record(oneOf(REQUIREMENT_COVERAGE_STATUSES), count),
  }),
  requirements: z.array(coverageRequirementSchema),
  warnings: z.array(frameworkWarningSchema),
});
/** @public */
export type FrameworkCoverage = z.infer<typeof frameworkCoverageSchema>;

/** One OSCAL import as its last runs left it. @public */
export const frameworkImportSchema = z.strictObject({
  importId: z.string(),
  framework: z.string(),
  target: z.string(),
  lastOutcome: z.enum(['imported', 'failed']),
  lastRunAt: timestampSchema,
  /** When it last imported successfully. */
  lastImportedAt: timestampSchema.optional(),
  /** Requirements of the last successful import. */
  requirementCount: count.optional(),
  /** Why the last run failed. */
  error: z.string().optional(),
});
/** @public */
export type FrameworkImport = z.infer<typeof frameworkImportSchema>;

/** GET /frameworks/imports answer. @public */
export const frameworkImportListSchema = z.strictObject({
  items: z.array(frameworkImportSchema),
});
/** @public */
export type FrameworkImportList = z.infer<typeof frameworkImportListSchema>;

/** From worst to best: a requirement takes the first status any control has. */
const STATUS_SEVERITY: readonly ControlStatus[] = [
  'failing',
  'untested',
  'overdue',
  'excepted',
  'passing',
];

/**
 * The worst of some control statuses (failing, untested, overdue,
 * excepted, passing, in that order); undefined for none.
 *
 * @public
 */
export function worstControlStatus(
  statuses: Iterable<ControlStatus>,
): ControlStatus | undefined {
  let worst: number | undefined;
  for (const status of statuses) {
    const rank = STATUS_SEVERITY.indexOf(status);
    if (worst === undefined || rank < worst) worst = rank;
  }
  return worst === undefined ? undefined : STATUS_SEVERITY[worst];
}
