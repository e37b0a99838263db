import { CapabilityOptions } from '../lib/capability';

/**
 * Security events and correlation rules: events filtered, grouped by fingerprint, and turned into incidents past a threshold.
 */
export async function setupCorrelation(_options: CapabilityOptions): Promise<void> {}
