import { CapabilityOptions } from '../lib/capability';

/**
 * Security advisories: feeds read on a schedule, matched to the components of catalog entities, with a lifecycle per affected entity.
 */
export async function setupAdvisories(_options: CapabilityOptions): Promise<void> {}
