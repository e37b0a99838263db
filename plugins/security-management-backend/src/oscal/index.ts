import { CapabilityOptions } from '../lib/capability';

/**
 * OSCAL in and out and the Statement of Applicability: exports per service, framework requirements and their coverage.
 */
export async function setupOscal(_options: CapabilityOptions): Promise<void> {}
