import { z } from 'zod';
import {
  anyEntityRefSchema,
  limitSchema,
  offsetSchema,
  oneOf,
  requiredText,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';

/*
 * Security alerts (ITIL): a warning raised when an attack is foreseeable or
 * under way, so that the staff of the affected services recognise it and
 * take precautions. Raised by the security team (`manual`) or by a rule of
 * the backend (`rule`), shown on every affected entity's page until it is
 * resolved or expires.
 */

/** How bad an alert is. @public */
export type AlertSeverity = 'critical' | 'high' | 'medium' | 'low';

/** @public */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

/**
 * The status of an alert. `expired` is computed when it is read: an alert
 * past its `expiresAt` that nobody resolved.
 *
 * @public
 */
export type AlertStatus = 'active' | 'resolved' | 'expired';

/** @public */
export const ALERT_STATUSES: readonly AlertStatus[] = [
  'active',
  'resolved',
  'expired',
];

/** Who raised an alert: a person through the API, or a rule of the backend. @public */
export type AlertSource = 'manual' | 'rule';

/** @public */
export const ALERT_SOURCES: readonly AlertSource[] = ['manual', 'rule'];

/** Most entity refs an alert may name. @public */
export const MAX_ALERT_ENTITY_REFS = 500;

/** Most entities one alert may affect, named or matched by its filter. @public */
export const MAX_ALERT_ENTITIES = 5000;

/**
 * A catalog filter: every key must match (AND); a list matches any of its
 * values. Keys are catalog fields such as `kind`, `spec.lifecycle`,
 * `spec.type` or `relations.ownedBy`; values compare case-insensitively.
 *
 * @public
 */
export type AlertFilter = Record<string, string | string[]>;

const FILTER_KEY = /^[A-Za-z0-9_.\-/:]{1,200}$/;
const filterValueSchema = requiredText(200);

/** A catalog filter as the API accepts it: 1–20 keys. @public */
export const alertFilterSchema = z
  .record(
    z.string(),
    z.union([filterValueSchema, z.array(filterValueSchema).min(1).max(50)]),
  )
  .superRefine((filter, ctx) => {
    const keys = Object.keys(filter);
    if (keys.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'must have at least one field, such as kind',
      });
    } else if (keys.length > 20) {
      ctx.addIssue({ code: 'custom', message: 'must have at most 20 fields' });
    }
    for (const key of keys.filter(k => !FILTER_KEY.test(k))) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `'${key.slice(
          0,
          200,
        )}' is not a catalog field; use one such as kind, spec.lifecycle or relations.ownedBy`,
      });
    }
  });

/** What an alert was raised for: explicit entities, a catalog filter or both. @public */
export const alertScopeSchema = z.strictObject({
  entityRefs: z.array(z.string()).optional(),
  filter: z
    .record(z.string(), z.union([z.string(), z.array(z.string())]))
    .optional(),
});
/** What an alert was raised for. @public */
export type AlertScope = z.infer<typeof alertScopeSchema>;

/** A security alert. @public */
export const securityAlertSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  severity: oneOf(ALERT_SEVERITIES),
  /** What the staff of the affected entities should do. */
  precautions: z.string(),
  scope: alertScopeSchema,
  /** How many catalog entities the scope resolved to when it was raised. */
  affectedEntityCount: z.number().int(),
  expiresAt: timestampSchema.optional(),
  status: oneOf(ALERT_STATUSES),
  source: oneOf(ALERT_SOURCES),
  /** The rule that raised it, for `source: rule`. */
  ruleId: z.string().optional(),
  raisedBy: z.string(),
  raisedAt: timestampSchema,
  resolvedBy: z.string().optional(),
  resolvedAt: timestampSchema.optional(),
  resolution: z.string().optional(),
});
/** A security alert. @public */
export type SecurityAlert = z.infer<typeof securityAlertSchema>;

/**
 * POST /alerts body. The affected entities are `entityRefs`, the entities
 * matching `filter`, or both; at least one must be given. An expiry must be
 * in the future.
 *
 * @public
 */
export const alertInputSchema = z
  .strictObject({
    title: requiredText(200),
    description: requiredText(10000),
    severity: oneOf(ALERT_SEVERITIES),
    precautions: requiredText(5000),
    entityRefs: z
      .array(anyEntityRefSchema)
      .min(1)
      .max(MAX_ALERT_ENTITY_REFS)
      .optional(),
    filter: alertFilterSchema.optional(),
    expiresAt: timestampInputSchema.optional(),
  })
  .refine(
    input => input.entityRefs !== undefined || input.filter !== undefined,
    {
      path: ['entityRefs'],
      error:
        'name the affected entities: give entityRefs, a catalog filter, or both',
    },
  );
/** POST /alerts body. @public */
export type AlertInput = z.input<typeof alertInputSchema>;

/** POST /alerts/:id/resolve body. @public */
export const alertResolutionInputSchema = z.strictObject({
  /** What was done, or why the alert no longer applies. */
  resolution: requiredText(5000),
});
/** POST /alerts/:id/resolve body. @public */
export type AlertResolutionInput = z.input<typeof alertResolutionInputSchema>;

/** The `status` of GET /alerts: one status, or `all`. @public */
export type AlertStatusFilter = AlertStatus | 'all';

/** GET /alerts query. @public */
export const alertQuerySchema = z.object({
  limit: limitSchema,
  offset: offsetSchema,
  /** Defaults to `all`. */
  status: oneOf<AlertStatusFilter>([...ALERT_STATUSES, 'all']).default('all'),
  /** Only alerts affecting this entity. */
  entityRef: anyEntityRefSchema.optional(),
});
/** GET /alerts query. @public */
export type AlertQuery = z.input<typeof alertQuerySchema>;

/** How many alerts have each status. @public */
export const alertStatusCountsSchema = z.strictObject({
  active: z.number().int(),
  resolved: z.number().int(),
  expired: z.number().int(),
});
/** How many alerts have each status. @public */
export type AlertStatusCounts = z.infer<typeof alertStatusCountsSchema>;

/**
 * GET /alerts answer: a page of alerts, newest first, with `totalCount` for
 * the status asked for and `counts` of every status (both under the
 * `entityRef` filter, if any).
 *
 * @public
 */
export const alertPageSchema = z.strictObject({
  items: z.array(securityAlertSchema),
  totalCount: z.number().int(),
  counts: alertStatusCountsSchema,
});
/** GET /alerts answer. @public */
export type AlertPage = z.infer<typeof alertPageSchema>;

/** GET /entities/alerts query. @public */
export const entityAlertsQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
});
/** GET /entities/alerts query. @public */
export type EntityAlertsQuery = z.input<typeof entityAlertsQuerySchema>;

/**
 * GET /entities/alerts answer: the active alerts affecting an entity, most
 * severe first, then newest first.
 *
 * @public
 */
export const entityAlertsSchema = z.strictObject({
  items: z.array(securityAlertSchema),
});
/** GET /entities/alerts answer. @public */
export type EntityAlerts = z.infer<typeof entityAlertsSchema>;
