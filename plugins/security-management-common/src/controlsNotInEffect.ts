import { z } from 'zod';
import { oneOf, timestampSchema } from './contract/validation';

/**
 * Why a control the catalog was given is not in effect:
 *
 * - `invalid-definition`: the control fails the SecurityControl schema; it
 *   is in the catalog with that processing error.
 * - `invalid-metadata`: the catalog's entity policy refused it (an invalid
 *   name, namespace, label or annotation).
 * - `unsupported-version`: a version of the `security.open-itsm.dev`
 *   apiVersion that this plugin does not know.
 * - `unrecognized-kind`: no catalog processor accepts its kind and
 *   apiVersion.
 * - `unreadable-location`: the catalog could not read a location (a YAML
 *   syntax error, a missing file, a kind the catalog rules do not allow), so
 *   no entity in it is in the catalog.
 * - `conflict`: another location already holds an entity of the same ref;
 *   the catalog keeps that one.
 * - `processing-error`: any other processing error the catalog reports.
 *
 * @public
 */
export const CONTROL_FAILURE_KINDS = [
  'invalid-definition',
  'invalid-metadata',
  'unsupported-version',
  'unrecognized-kind',
  'unreadable-location',
  'conflict',
  'processing-error',
] as const;
/** Why a control is not in effect. @public */
export type ControlFailureKind = (typeof CONTROL_FAILURE_KINDS)[number];

/** Where a record of a control not in effect comes from. @public */
export const CONTROL_FAILURE_SOURCES = [
  'catalog-entity',
  'catalog-event',
] as const;

/** One control (or location of controls) that is not in effect. @public */
export const controlNotInEffectSchema = z.strictObject({
  /**
   * The ref as the catalog names it: the control's, or the Location
   * entity's for a location the catalog could not read.
   */
  ref: z.string(),
  /** The best-known name: the title, the name, or the location's target. */
  name: z.string(),
  failure: oneOf(CONTROL_FAILURE_KINDS),
  /** What is wrong, as the catalog or the validator words it. */
  reason: z.string(),
  /** Where the YAML is (`backstage.io/managed-by-location`). */
  location: z.string().optional(),
  /** The location it was registered through (`managed-by-origin-location`). */
  originLocation: z.string().optional(),
  /** For a conflict: the location that holds the entity the catalog kept. */
  conflictingLocation: z.string().optional(),
  /**
   * `catalog-entity`: read from the entity's processing errors;
   * `catalog-event`: recorded from the catalog's error or conflict events.
   */
  source: oneOf(CONTROL_FAILURE_SOURCES),
  /** For an event: when the catalog last reported it. */
  reportedAt: timestampSchema.optional(),
});
/** One control (or location of controls) that is not in effect. @public */
export type ControlNotInEffect = z.infer<typeof controlNotInEffectSchema>;

/** GET /controls/not-in-effect answer. @public */
export const controlsNotInEffectSchema = z.strictObject({
  items: z.array(controlNotInEffectSchema),
});
/** GET /controls/not-in-effect answer. @public */
export type ControlsNotInEffect = z.infer<typeof controlsNotInEffectSchema>;
