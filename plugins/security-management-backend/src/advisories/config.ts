import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  ADVISORY_SEVERITIES,
  AdvisorySeverity,
  DEFAULT_ADVISORY_DUE_BY_SEVERITY,
  isIsoDuration,
} from '@open-itsm/plugin-security-management-common';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeedConfig } from './AdvisoryFeedStore';

/** The `securityManagement.advisories` settings. */
export interface AdvisorySettings {
  feeds: FeedConfig[];
  frequency: HumanDuration;
  timeout: HumanDuration;
  dueBySeverity: Record<AdvisorySeverity, string>;
  /**
   * A new match of a known exploited vulnerability on an entity in one of
   * these lifecycles raises a security alert; empty turns the rule off.
   */
  alertLifecycles: string[];
  /** Worker threads that parse and match SBOMs; undefined: one per core. */
  matchWorkers?: number;
}

const PREFIX = 'securityManagement.advisories';
const FEED_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

function duration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config.has(key)) return fallback;
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    // Backstage names the key relative to the section; say where it is.
    throw new Error(
      `Invalid config at '${PREFIX}.${key}': ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

/**
 * A feed's location as a URL: a URL as it is, a path without a scheme as a
 * local file relative to the backend's working directory (read through a
 * UrlReader that serves `file:` URLs, as the example backend adds).
 */
function feedTarget(target: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  return pathToFileURL(resolvePath(target)).toString();
}

/** Reads and checks `securityManagement.advisories`; throws naming the key. */
export function readAdvisorySettings(root: Config): AdvisorySettings {
  const section = root.getOptionalConfig(PREFIX);
  const feeds: FeedConfig[] = [];
  const seen = new Set<string>();
  (section?.getOptionalConfigArray('feeds') ?? []).forEach((feed, index) => {
    const key = `${PREFIX}.feeds[${index}]`;
    const id = feed.getString('id');
    if (!FEED_ID.test(id)) {
      throw new Error(
        `Invalid config at '${key}.id': '${id}' must be lower-case letters, digits and dashes`,
      );
    }
    if (seen.has(id)) {
      throw new Error(`Invalid config at '${key}.id': '${id}' is used twice`);
    }
    seen.add(id);
    const type = feed.getString('type');
    if (type !== 'osv' && type !== 'kev') {
      throw new Error(
        `Invalid config at '${key}.type': '${type}' must be 'osv' or 'kev'`,
      );
    }
    feeds.push({ id, type, target: feedTarget(feed.getString('target')) });
  });

  const dueBySeverity = { ...DEFAULT_ADVISORY_DUE_BY_SEVERITY };
  // A misspelt severity would otherwise be ignored without a word.
  for (const key of section?.getOptionalConfig('dueBySeverity')?.keys() ?? []) {
    if (!(ADVISORY_SEVERITIES as readonly string[]).includes(key)) {
      throw new Error(
        `Invalid config at '${PREFIX}.dueBySeverity.${key}': not a severity; use ${ADVISORY_SEVERITIES.join(
          ', ',
        )}`,
      );
    }
  }
  for (const severity of ADVISORY_SEVERITIES) {
    const key = `dueBySeverity.${severity}`;
    const value = section?.getOptionalString(key);
    if (value === undefined) continue;
    if (!isIsoDuration(value)) {
      throw new Error(
        `Invalid config at '${PREFIX}.${key}': '${value}' is not a positive ISO-8601 duration such as P30D`,
      );
    }
    dueBySeverity[severity] = value;
  }

  const matchWorkers = section?.getOptionalNumber('matchWorkers');
  if (
    matchWorkers !== undefined &&
    !(Number.isInteger(matchWorkers) && matchWorkers >= 0 && matchWorkers <= 64)
  ) {
    throw new Error(
      `Invalid config at '${PREFIX}.matchWorkers': ${matchWorkers} must be a whole number from 0 to 64`,
    );
  }

  return {
    feeds,
    matchWorkers,
    frequency: section
      ? duration(section, 'frequency', { hours: 6 })
      : { hours: 6 },
    timeout: section
      ? duration(section, 'timeout', { minutes: 30 })
      : { minutes: 30 },
    dueBySeverity,
    alertLifecycles: section?.getOptionalStringArray(
      'alertOnKnownExploited.lifecycles',
    ) ?? ['production'],
  };
}
