import { z } from 'zod';
import { toMillis } from './posture';
import {
  anyEntityRefSchema,
  timestampInputSchema,
} from './contract/validation';

/*
 * OSCAL exports: an entity's controls as an OSCAL component definition and
 * its test records as OSCAL assessment results, valid against NIST's OSCAL
 * JSON schemas of the version below. The documents are large and defined by
 * NIST, so the contract describes only their top level.
 */

/** The OSCAL version the exported documents declare and are valid against. @public */
export const OSCAL_VERSION = '1.0.6';

/** Days of test records an assessment-results export covers by default. @public */
export const OSCAL_DEFAULT_PERIOD_DAYS = 365;

// OSCAL 1.0.6 date-times have years from 1900 to 2999.
const OSCAL_LATEST_INSTANT = Date.parse('2999-12-31T23:59:59.999Z');

const oscalInstantSchema = timestampInputSchema.refine(
  value => toMillis(value) <= OSCAL_LATEST_INSTANT,
  { error: 'must be before the year 3000 (OSCAL dates end with 2999)' },
);

/** GET /oscal/component-definition query. @public */
export const oscalComponentDefinitionQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
});
/** GET /oscal/component-definition query. @public */
export type OscalComponentDefinitionQuery = z.input<
  typeof oscalComponentDefinitionQuerySchema
>;

/**
 * GET /oscal/assessment-results query: the entity and the period of the
 * test records (by tested-at, both ends included); `to` defaults to now and
 * `from` to {@link OSCAL_DEFAULT_PERIOD_DAYS} days before `to`.
 *
 * @public
 */
export const oscalAssessmentResultsQuerySchema = z
  .object({
    entityRef: anyEntityRefSchema,
    from: oscalInstantSchema.optional(),
    to: oscalInstantSchema.optional(),
  })
  .refine(
    range =>
      !range.from || !range.to || toMillis(range.from) <= toMillis(range.to),
    { path: ['to'], error: 'must not be before from' },
  );
/** GET /oscal/assessment-results query. @public */
export type OscalAssessmentResultsQuery = z.input<
  typeof oscalAssessmentResultsQuerySchema
>;

const oscalMetadataSchema = z.looseObject({
  title: z.string(),
  'last-modified': z.string(),
  version: z.string(),
  'oscal-version': z.string(),
});

/**
 * An OSCAL assessment-results document; only its top level is described
 * here, the rest is NIST's schema.
 *
 * @public
 */
export const oscalAssessmentResultsSchema = z.looseObject({
  'assessment-results': z.looseObject({
    uuid: z.string(),
    metadata: oscalMetadataSchema,
    'import-ap': z.looseObject({ href: z.string() }),
    results: z.array(z.looseObject({ uuid: z.string() })),
  }),
});
/** An OSCAL assessment-results document. @public */
export type OscalAssessmentResults = z.infer<
  typeof oscalAssessmentResultsSchema
>;

/**
 * An OSCAL component-definition document; only its top level is described
 * here, the rest is NIST's schema.
 *
 * @public
 */
export const oscalComponentDefinitionSchema = z.looseObject({
  'component-definition': z.looseObject({
    uuid: z.string(),
    metadata: oscalMetadataSchema,
    components: z.array(z.looseObject({ uuid: z.string() })),
  }),
});
/** An OSCAL component-definition document. @public */
export type OscalComponentDefinition = z.infer<
  typeof oscalComponentDefinitionSchema
>;
