import { z } from 'zod';
import { text, timestampInputSchema } from './contract/validation';

/*
 * Frameworks (NIST SP 800-53, ISO/IEC 27001 Annex A, SOC 2): their
 * requirements, imported from OSCAL as SecurityRequirement entities or
 * named by the controls' framework mappings.
 */

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
