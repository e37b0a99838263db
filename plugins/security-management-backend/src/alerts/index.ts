import { CapabilityOptions } from '../lib/capability';

/**
 * Security alerts: raised by a manager or a rule, shown on every affected entity until resolved or expired.
 */
export async function setupAlerts(_options: CapabilityOptions): Promise<void> {}
