import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  DEFAULT_REVIEW_CADENCE_BY_TIER,
  DEFAULT_REVIEW_DUE_SOON,
  isIsoDuration,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';

/** The `securityManagement` settings the backend plugin runs with. */
export interface SecurityManagementSettings {
  /** ISO-8601 review cadence by risk tier (1, 2, 3). */
  reviewCadenceByTier: Readonly<Record<number, string>>;
  /** How long before its due date a review counts as due soon (ISO-8601). */
  reviewDueSoon: string;
  /** How often the catalog is read for applicability. */
  syncFrequency: HumanDuration;
}

function readIsoDuration(
  config: Config,
  key: string,
  fallback: string,
): string {
  const value = config.getOptionalString(key) ?? fallback;
  if (!isIsoDuration(value)) {
    throw new Error(
      `Invalid config at '${key}': '${value}' is not a positive ISO-8601 duration such as P90D`,
    );
  }
  return value;
}

/** Reads and checks the `securityManagement` section of app-config. */
export function readSecurityManagementSettings(
  config: Config,
): SecurityManagementSettings {
  const reviewCadenceByTier: Record<number, string> = {};
  for (const tier of [1, 2, 3]) {
    reviewCadenceByTier[tier] = readIsoDuration(
      config,
      `securityManagement.reviewCadence.tier${tier}`,
      DEFAULT_REVIEW_CADENCE_BY_TIER[tier],
    );
  }
  const syncKey = 'securityManagement.sync.frequency';
  return {
    reviewCadenceByTier,
    reviewDueSoon: readIsoDuration(
      config,
      'securityManagement.reviewDueSoon',
      DEFAULT_REVIEW_DUE_SOON,
    ),
    syncFrequency: config.has(syncKey)
      ? readDurationFromConfig(config, { key: syncKey })
      : { minutes: 5 },
  };
}

const DEFAULT_SECURITY_MANAGER_GROUPS = ['group:default/security-team'];

/**
 * The groups whose members manage security
 * (`securityManagement.managerGroups`), as lower-case entity refs, for
 * permission policies.
 *
 * @public
 */
export function readSecurityManagerGroups(config: Config): string[] {
  const groups =
    config.getOptionalStringArray('securityManagement.managerGroups') ??
    DEFAULT_SECURITY_MANAGER_GROUPS;
  return groups.map(group => {
    const ref = normalizeEntityRef(group, { defaultKind: 'group' });
    if (!ref) {
      throw new Error(
        `Invalid config at 'securityManagement.managerGroups': '${group}' is not an entity ref`,
      );
    }
    return ref;
  });
}
