import { CapabilityOptions } from '../lib/capability';

/**
 * Security policies as code: the policy tree read from the catalog, with each statement's coverage.
 */
export async function setupPolicies(
  _options: CapabilityOptions,
): Promise<void> {}
