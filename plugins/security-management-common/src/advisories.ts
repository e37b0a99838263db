import { z } from 'zod';
import { SECURITY_MANAGEMENT_API_GROUP } from './constants';
import {
  anyEntityRefSchema,
  booleanParamSchema,
  groupRefSchema,
  limitSchema,
  listParam,
  offsetSchema,
  oneOf,
  requiredText,
  text,
  timestampSchema,
} from './contract/validation';
import { toMillis } from './posture';

/*
 * Security advisories: known vulnerabilities published by suppliers (OSV
 * feeds) and the CISA catalog of known exploited vulnerabilities (KEV),
 * matched to what catalog entities are built from, with a lifecycle per
 * affected entity.
 */

/**
 * Where an entity's SBOM is: a CycloneDX JSON document, as a URL or a path
 * relative to the entity's catalog file (`./sbom.cdx.json`). Read through
 * Backstage's UrlReader.
 *
 * @public
 */
export const ANNOTATION_SBOM = `${SECURITY_MANAGEMENT_API_GROUP}/sbom`;

/**
 * Package URLs an entity is built from, separated by commas, spaces or new
 * lines: `pkg:npm/express@4.22.3, pkg:npm/%40octokit/request@6.2.8`.
 *
 * @public
 */
export const ANNOTATION_PURLS = `${SECURITY_MANAGEMENT_API_GROUP}/purls`;

/**
 * The vendor products an entity runs, for the CISA KEV catalog, as
 * `Vendor:Product` pairs separated by semicolons:
 * `Microsoft:Exchange Server; Apache:Log4j2`.
 *
 * @public
 */
export const ANNOTATION_KEV_PRODUCTS = `${SECURITY_MANAGEMENT_API_GROUP}/kev-products`;

/** Advisory severities, most severe first. @public */
export const ADVISORY_SEVERITIES = [
  'critical',
  'high',
  'moderate',
  'low',
  'unknown',
] as const;
/** @public */
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];

/**
 * The lifecycle of an advisory on one affected entity:
 * open → acknowledged → mitigated, or not-affected (with a VEX
 * justification); resolved once fixed. Open and acknowledged findings are
 * *active*: they count toward posture once past their due date.
 *
 * @public
 */
export const ADVISORY_FINDING_STATUSES = [
  'open',
  'acknowledged',
  'mitigated',
  'not-affected',
  'resolved',
] as const;
/** @public */
export type AdvisoryFindingStatus = (typeof ADVISORY_FINDING_STATUSES)[number];

/** The statuses whose findings still need action. @public */
export const ACTIVE_ADVISORY_FINDING_STATUSES: readonly AdvisoryFindingStatus[] =
  ['open', 'acknowledged'];

/**
 * Why an entity is not affected, as in CISA's VEX status justifications.
 *
 * @public
 */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
/** @public */
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/**
 * How long an entity has to act on a new advisory, by severity, unless the
 * advisory is known exploited and CISA gives a due date. Configurable as
 * `securityManagement.advisories.dueBySeverity`.
 *
 * @public
 */
export const DEFAULT_ADVISORY_DUE_BY_SEVERITY: Readonly<
  Record<AdvisorySeverity, string>
> = {
  critical: 'P15D',
  high: 'P30D',
  moderate: 'P90D',
  low: 'P180D',
  unknown: 'P90D',
};

/**
 * Whether a finding is overdue: active (open or acknowledged) and its due
 * date is now or past.
 *
 * @public
 */
export function isAdvisoryFindingOverdue(options: {
  status: AdvisoryFindingStatus;
  dueAt: string;
  now: string | Date | number;
}): boolean {
  return (
    ACTIVE_ADVISORY_FINDING_STATUSES.includes(options.status) &&
    toMillis(options.dueAt) <= toMillis(options.now)
  );
}

/** An advisory, as the API shows it. @public */
export const advisorySchema = z.strictObject({
  /** GHSA-…, CVE-…, or the feed's own id. */
  id: z.string(),
  source: z.enum(['osv', 'kev']),
  feedId: z.string(),
  summary: z.string(),
  /** The advisory's full text; left out of finding lists, which link to it. */
  details: z.string().optional(),
  severity: oneOf(ADVISORY_SEVERITIES),
  aliases: z.array(z.string()),
  /** In CISA's catalog of known exploited vulnerabilities (directly or by alias). */
  knownExploited: z.boolean(),
  /** CISA's due date for known exploited vulnerabilities. */
  kevDueDate: z.string().optional(),
  kevRequiredAction: z.string().optional(),
  publishedAt: timestampSchema.optional(),
  modifiedAt: timestampSchema.optional(),
  references: z.array(z.string()),
});
/** @public */
export type Advisory = z.infer<typeof advisorySchema>;

/**
 * Why an advisory affects an entity: the package, the version installed and
 * the range the advisory names.
 *
 * @public
 */
export const advisoryMatchSchema = z.strictObject({
  ecosystem: z.string(),
  package: z.string(),
  purl: z.string().optional(),
  installedVersion: z.string(),
  affectedRange: z.string(),
  /** Where the component came from: the SBOM, the purls annotation, or a KEV product. */
  source: z.enum(['sbom', 'purl', 'kev-product']),
});
/** @public */
export type AdvisoryMatch = z.infer<typeof advisoryMatchSchema>;

/** One advisory on one affected entity, with its lifecycle. @public */
export const advisoryFindingSchema = z.strictObject({
  id: z.string(),
  entityRef: z.string(),
  entityTitle: z.string().optional(),
  owner: z.string().optional(),
  advisory: advisorySchema,
  status: oneOf(ADVISORY_FINDING_STATUSES),
  justification: oneOf(VEX_JUSTIFICATIONS).optional(),
  note: z.string().optional(),
  dueAt: timestampSchema,
  /** Active and past its due date (see isAdvisoryFindingOverdue). */
  overdue: z.boolean(),
  /** The reasons it matches now; empty once no component matches. */
  matches: z.array(advisoryMatchSchema),
  firstSeenAt: timestampSchema,
  updatedAt: timestampSchema,
  updatedBy: z.string().optional(),
  resolvedAt: timestampSchema.optional(),
});
/** @public */
export type AdvisoryFinding = z.infer<typeof advisoryFindingSchema>;

/** Counts of the findings a query selects, before paging. @public */
export const advisoryFindingCountsSchema = z.strictObject({
  total: z.number().int(),
  overdue: z.number().int(),
  knownExploited: z.number().int(),
  bySeverity: z.record(oneOf(ADVISORY_SEVERITIES), z.number().int()),
});
/** @public */
export type AdvisoryFindingCounts = z.infer<typeof advisoryFindingCountsSchema>;

/** GET /advisories/findings query. @public */
export const advisoryFindingQuerySchema = z.object({
  limit: limitSchema,
  offset: offsetSchema,
  /** Default: the active statuses (open, acknowledged). */
  status: listParam(oneOf(ADVISORY_FINDING_STATUSES)),
  severity: listParam(oneOf(ADVISORY_SEVERITIES)),
  knownExploited: booleanParamSchema.optional(),
  overdue: booleanParamSchema.optional(),
  owner: groupRefSchema.optional(),
  entityRef: anyEntityRefSchema.optional(),
  advisoryId: requiredText(200).optional(),
});
/** @public */
export type AdvisoryFindingQuery = z.input<typeof advisoryFindingQuerySchema>;

/** GET /advisories/findings answer. @public */
export const advisoryFindingPageSchema = z.strictObject({
  items: z.array(advisoryFindingSchema),
  totalCount: z.number().int(),
  counts: advisoryFindingCountsSchema,
});
/** @public */
export type AdvisoryFindingPage = z.infer<typeof advisoryFindingPageSchema>;

/** The statuses a person may move a finding to. @public */
export const ADVISORY_FINDING_TARGETS = [
  'open',
  'acknowledged',
  'mitigated',
  'not-affected',
  'resolved',
] as const;

/**
 * POST /advisories/findings/:id/transition body. `not-affected` needs a VEX
 * justification; `mitigated`, `not-affected` and `resolved` need a note
 * saying what was done or why.
 *
 * @public
 */
export const advisoryFindingTransitionInputSchema = z
  .strictObject({
    status: oneOf(ADVISORY_FINDING_TARGETS),
    justification: oneOf(VEX_JUSTIFICATIONS).optional(),
    note: text(5000).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.status === 'not-affected' && !value.justification) {
      ctx.addIssue({
        code: 'custom',
        path: ['justification'],
        message: 'is required when the entity is not affected',
      });
    }
    if (value.status !== 'not-affected' && value.justification) {
      ctx.addIssue({
        code: 'custom',
        path: ['justification'],
        message: 'is only for not-affected',
      });
    }
    if (
      ['mitigated', 'not-affected', 'resolved'].includes(value.status) &&
      !value.note?.trim()
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: `is required for ${value.status}: say what was done or why`,
      });
    }
  });
/** @public */
export type AdvisoryFindingTransitionInput = z.input<
  typeof advisoryFindingTransitionInputSchema
>;

/** GET /advisories/entity query. @public */
export const entityAdvisoriesQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
  /** Include mitigated, not-affected and resolved findings too. */
  all: booleanParamSchema.optional(),
});
/** @public */
export type EntityAdvisoriesQuery = z.input<typeof entityAdvisoriesQuerySchema>;

/**
 * Where the components of one entity come from and whether they could be
 * read: an SBOM that does not parse, or a purl that does not, is an error
 * here, visible to the owner and the security team.
 *
 * @public
 */
export const componentSourceSchema = z.strictObject({
  entityRef: z.string(),
  kind: z.enum(['sbom', 'purl', 'kev-product']),
  /** The SBOM's resolved location, or the annotation. */
  location: z.string(),
  status: z.enum(['ok', 'error']),
  error: z.string().optional(),
  warnings: z.array(z.string()),
  componentCount: z.number().int(),
  readAt: timestampSchema,
});
/** @public */
export type ComponentSource = z.infer<typeof componentSourceSchema>;

/** GET /advisories/entity answer. @public */
export const entityAdvisoriesSchema = z.strictObject({
  entityRef: z.string(),
  findings: z.array(advisoryFindingSchema),
  sources: z.array(componentSourceSchema),
  counts: advisoryFindingCountsSchema,
});
/** @public */
export type EntityAdvisories = z.infer<typeof entityAdvisoriesSchema>;

/** The state of one configured advisory feed. @public */
export const advisoryFeedSchema = z.strictObject({
  id: z.string(),
  type: z.enum(['osv', 'kev']),
  target: z.string(),
  status: z.enum(['ok', 'error', 'never-read']),
  lastAttemptAt: timestampSchema.optional(),
  lastSuccessAt: timestampSchema.optional(),
  /** Why the last attempt failed; the previous state was kept. */
  error: z.string().optional(),
  warnings: z.array(z.string()),
  advisoryCount: z.number().int(),
});
/** @public */
export type AdvisoryFeed = z.infer<typeof advisoryFeedSchema>;

/** GET /advisories/feeds answer: feeds, and entities whose components could not be read. @public */
export const advisoryFeedStatusSchema = z.strictObject({
  feeds: z.array(advisoryFeedSchema),
  componentErrors: z.array(componentSourceSchema),
});
/** @public */
export type AdvisoryFeedStatus = z.infer<typeof advisoryFeedStatusSchema>;

/** POST /advisories/refresh answer. @public */
export const advisoryRefreshResultSchema = z.strictObject({
  feeds: z.array(advisoryFeedSchema),
  entitiesMatched: z.number().int(),
  findingsOpened: z.number().int(),
  findingsResolved: z.number().int(),
});
/** @public */
export type AdvisoryRefreshResult = z.infer<typeof advisoryRefreshResultSchema>;

/** POST /advisories/entity/refresh body. @public */
export const entityAdvisoryRefreshInputSchema = z.strictObject({
  entityRef: anyEntityRefSchema,
});
/** @public */
export type EntityAdvisoryRefreshInput = z.input<
  typeof entityAdvisoryRefreshInputSchema
>;
