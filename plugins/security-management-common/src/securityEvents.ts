import { z } from 'zod';
import {
  limitSchema,
  offsetSchema,
  oneOf,
  requiredText,
  text,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';
import { isIsoDuration } from './kind/validateSecurityControl';
import { INCIDENT_SEVERITIES } from './types';

/*
 * Security events and correlation rules (ITIL: "correlation rules and event
 * filtering"). Scanners and SIEMs send events; a rule of the backend's
 * app-config filters them, groups them by fingerprint and opens an incident
 * on the affected entity when enough arrive within a window.
 */

/** Most events one POST /security-events may carry. @public */
export const MAX_SECURITY_EVENT_BATCH = 1000;

/** The largest event, as JSON in UTF-8. @public */
export const MAX_SECURITY_EVENT_BYTES = 64 * 1024;

/** The events-system topic the backend subscribes to by default. @public */
export const DEFAULT_SECURITY_EVENT_TOPIC = 'security';

/** How long events not attached to an incident are kept, by default. @public */
export const DEFAULT_SECURITY_EVENT_RETENTION = 'P30D';

/** A rule id: stable, lower-case letters, digits and dashes. @public */
export const correlationRuleIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    error:
      'expected lower-case letters, digits and dashes (at most 63), such as repeated-auth-failures',
  });

/** An events-system topic. @public */
export const securityEventTopicSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    error: 'expected a topic name such as security',
  });

/**
 * A dotted path to a field of an event (`type`, `source.ip`). Each segment
 * is an object key; a key that itself holds a dot cannot be addressed.
 *
 * @public
 */
export const eventFieldPathSchema = z
  .string()
  .max(200)
  .regex(/^[^.\s{}]+(?:\.[^.\s{}]+)*$/, {
    error: 'expected a dotted field path such as source.ip',
  });

/**
 * One condition of a rule's filter: a value the field must equal, a list of
 * strings it must be one of, or whether the field must be present.
 *
 * @public
 */
export const correlationMatchConditionSchema = z.union(
  [
    z.string().max(1000),
    z.number(),
    z.boolean(),
    z.array(z.string().max(1000)).min(1).max(100),
    z.strictObject({ exists: z.boolean() }),
  ],
  {
    error:
      'expected a string, number, boolean, a list of strings, or { exists: true | false }',
  },
);
/** @public */
export type CorrelationMatchCondition = z.infer<
  typeof correlationMatchConditionSchema
>;

/** `{{count}}` and `{{field.path}}` placeholders of an incident title. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders of a template, in order (`count`, `source.ip`). @public */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map(match => match[1]);
}

/**
 * Fills `{{count}}` and `{{field.path}}` placeholders; `value` answers each
 * placeholder's text, or undefined for `?`.
 *
 * @public
 */
export function fillTemplate(
  template: string,
  value: (placeholder: string) => string | undefined,
): string {
  return template.replace(PLACEHOLDER, (_, name: string) => value(name) ?? '?');
}

const templateText = (max: number) =>
  requiredText(max).refine(
    value =>
      templatePlaceholders(value).every(
        name =>
          name === 'count' || eventFieldPathSchema.safeParse(name).success,
      ),
    { error: 'placeholders must be {{count}} or {{field.path}}' },
  );

/**
 * A correlation rule as app-config states it
 * (`securityManagement.correlation.rules[]`).
 *
 * @public
 */
export const correlationRuleSchema = z.strictObject({
  id: correlationRuleIdSchema,
  title: requiredText(200),
  description: text(2000).optional(),
  /** Only events of this topic; by default any subscribed topic. */
  topic: securityEventTopicSchema.optional(),
  /** Every condition must hold (event filtering). */
  match: z.record(eventFieldPathSchema, correlationMatchConditionSchema),
  /** Fields whose values group events; each must be present. */
  fingerprint: z.array(eventFieldPathSchema).min(1).max(10),
  /** The field naming the affected entity (default kind Component). */
  entity: eventFieldPathSchema,
  threshold: z.number().int().min(1).max(100000),
  window: z.string().refine(isIsoDuration, {
    error: 'expected a positive ISO-8601 duration such as PT10M',
  }),
  incident: z.strictObject({
    title: templateText(200),
    severity: oneOf(INCIDENT_SEVERITIES),
    description: text(5000).optional(),
  }),
});
/** A correlation rule as app-config states it. @public */
export type CorrelationRule = z.infer<typeof correlationRuleSchema>;

const count = z.number().int().min(0);

/** The values of a fingerprint, by field path. @public */
export const correlationFingerprintSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]),
);
/** The values of a fingerprint, by field path. @public */
export type CorrelationFingerprint = z.infer<
  typeof correlationFingerprintSchema
>;

/**
 * A rule with what it did over the events kept (see the retention):
 * `firings` and `lastFiredAt` count only incidents the caller may read, and
 * are left out when the caller may read none.
 *
 * @public
 */
export const correlationRuleSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  topic: z.string().optional(),
  match: z.record(
    z.string(),
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.array(z.string()),
      z.strictObject({ exists: z.boolean() }),
    ]),
  ),
  fingerprint: z.array(z.string()),
  entity: z.string(),
  threshold: count,
  window: z.string(),
  incident: z.strictObject({
    title: z.string(),
    severity: oneOf(INCIDENT_SEVERITIES),
    description: z.string().optional(),
  }),
  counters: z.strictObject({
    /** Events that passed the filter and carried every fingerprint field. */
    matchedEvents: count,
    /** Events that passed the filter but lacked a fingerprint or entity field. */
    missingFields: count,
    /** Events whose entity is not in the catalog (no incident can name it). */
    unknownEntity: count,
    /** Incidents the rule opened. */
    firings: count.optional(),
    lastFiredAt: timestampSchema.optional(),
  }),
});
/** A rule with its counters. @public */
export type CorrelationRuleSummary = z.infer<
  typeof correlationRuleSummarySchema
>;

/** GET /correlation/rules answer. @public */
export const correlationRuleListSchema = z.strictObject({
  /** The events-system topics subscribed to. */
  topics: z.array(z.string()),
  /** How long events not attached to an incident are kept (ISO-8601). */
  retention: z.string(),
  items: z.array(correlationRuleSummarySchema),
});
/** GET /correlation/rules answer. @public */
export type CorrelationRuleList = z.infer<typeof correlationRuleListSchema>;

function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * One security event: any JSON object of at most 64 KB. `id` is an
 * idempotency key (a retried event with the same id and topic is stored
 * once); `occurredAt` defaults to when it is received.
 *
 * @public
 */
export const securityEventInputSchema = z
  .looseObject({
    id: z
      .union([z.string().trim().min(1).max(200), z.number().int()], {
        error: 'expected a string of 1 to 200 characters or an integer',
      })
      .optional(),
    occurredAt: timestampInputSchema.optional(),
  })
  .superRefine((event, ctx) => {
    const bytes = jsonBytes(event);
    if (bytes > MAX_SECURITY_EVENT_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes as JSON; an event may have at most ${MAX_SECURITY_EVENT_BYTES} (64 KB)`,
      });
    }
  });
/** One security event. @public */
export type SecurityEventInput = z.input<typeof securityEventInputSchema>;

/** POST /security-events body. @public */
export const securityEventBatchInputSchema = z.strictObject({
  /** The topic the events belong to; default the first subscribed topic. */
  topic: securityEventTopicSchema.optional(),
  events: z
    .array(securityEventInputSchema)
    .min(1)
    .max(MAX_SECURITY_EVENT_BATCH),
});
/** POST /security-events body. @public */
export type SecurityEventBatchInput = z.input<
  typeof securityEventBatchInputSchema
>;

/** Events of one fingerprint attached to an incident by a rule. @public */
export const correlationFiringResultSchema = z.strictObject({
  ruleId: z.string(),
  fingerprint: correlationFingerprintSchema,
  incidentId: z.string(),
  /** Whether the incident was opened now (else the events joined an open one). */
  opened: z.boolean(),
  /** How many events were attached to the incident now. */
  eventCount: count,
});
/** Events of one fingerprint attached to an incident by a rule. @public */
export type CorrelationFiringResult = z.infer<
  typeof correlationFiringResultSchema
>;

/** POST /security-events answer. @public */
export const securityEventPostResultSchema = z.strictObject({
  /** Events stored now. */
  accepted: count,
  /** Events stored before (same idempotency key), or repeated in the batch. */
  duplicates: count,
  firings: z.array(correlationFiringResultSchema),
});
/** POST /security-events answer. @public */
export type SecurityEventPostResult = z.infer<
  typeof securityEventPostResultSchema
>;

/** An incident a rule opened, with the events attached to it so far. @public */
export const correlationFiringSchema = z.strictObject({
  id: z.string(),
  ruleId: z.string(),
  /** The rule's title, unless the rule has left the configuration. */
  ruleTitle: z.string().optional(),
  fingerprint: correlationFingerprintSchema,
  entityRef: z.string(),
  incidentId: z.string(),
  eventCount: count,
  firedAt: timestampSchema,
  /** When the latest event was attached. */
  lastEventAt: timestampSchema,
});
/** An incident a rule opened. @public */
export type CorrelationFiring = z.infer<typeof correlationFiringSchema>;

/** GET /correlation/firings query. @public */
export const correlationFiringQuerySchema = z.object({
  limit: limitSchema,
  offset: offsetSchema,
  ruleId: correlationRuleIdSchema.optional(),
});
/** GET /correlation/firings query. @public */
export type CorrelationFiringQuery = z.input<
  typeof correlationFiringQuerySchema
>;

/** GET /correlation/firings answer. @public */
export const correlationFiringPageSchema = z.strictObject({
  items: z.array(correlationFiringSchema),
  totalCount: z.number().int(),
});

/** One event as a `correlated` timeline entry shows it. @public */
export const correlatedEventSummarySchema = z.strictObject({
  /** The event's own id, if it had one. */
  id: z.string().optional(),
  occurredAt: timestampSchema,
  /** The fields the rule reads and the event's other top-level values. */
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
/** One event as a `correlated` timeline entry shows it. @public */
export type CorrelatedEventSummary = z.infer<
  typeof correlatedEventSummarySchema
>;

/**
 * The `changes` of a `correlated` timeline entry: which rule attached how
 * many events of which fingerprint, and the first of them.
 *
 * @public
 */
export const correlatedEventsChangesSchema = z.strictObject({
  rule: z.strictObject({ id: z.string(), title: z.string() }),
  fingerprint: correlationFingerprintSchema,
  eventCount: count,
  events: z.array(correlatedEventSummarySchema),
});
/** The `changes` of a `correlated` timeline entry. @public */
export type CorrelatedEventsChanges = z.infer<
  typeof correlatedEventsChangesSchema
>;
