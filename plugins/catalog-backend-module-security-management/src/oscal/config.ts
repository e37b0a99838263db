import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { normalizeEntityRef } from '@open-itsm/plugin-security-management-common';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One configured OSCAL import, checked. */
export interface OscalImportConfig {
  /** Stable id of the import: names its provider and scheduled task. */
  id: string;
  /** Framework id the requirements get, as controls map to it. */
  framework: string;
  /** Where the OSCAL JSON is, as a URL the UrlReader reads. */
  target: string;
  /** Entity ref of the group that owns the requirements. */
  owner: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const PREFIX = 'securityManagement.oscal.imports';
const IMPORT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FRAMEWORK_ID = /^[a-z0-9][a-z0-9.-]{0,99}$/;

/** By default an import is read an hour apart, first shortly after start. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
  scope: 'global',
};

/**
 * A location as a URL: a URL as it is, a path without a scheme as a local
 * file relative to the backend's working directory (read through a
 * UrlReader that serves `file:` URLs, as the example backend adds).
 */
export function importTarget(target: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  return pathToFileURL(resolvePath(target)).toString();
}

function invalid(key: string, message: string): Error {
  return new Error(`Invalid config at '${key}': ${message}`);
}

function readSchedule(
  entry: Config,
  key: string,
): SchedulerServiceTaskScheduleDefinition {
  if (!entry.has('schedule')) return DEFAULT_SCHEDULE;
  try {
    return {
      ...readSchedulerServiceTaskScheduleDefinitionFromConfig(
        entry.getConfig('schedule'),
      ),
      // One replica at a time: every run replaces the import's entities.
      scope: 'global',
    };
  } catch (error) {
    throw invalid(
      `${key}.schedule`,
      error instanceof Error ? error.message : String(error),
    );
  }
}

/**
 * Reads and checks `securityManagement.oscal.imports`; throws naming the
 * key. Two imports may not share an id, nor a framework: each framework's
 * requirements come from one source, so their entity names are unique.
 */
export function readOscalImports(root: Config): OscalImportConfig[] {
  const seenIds = new Map<string, number>();
  const seenFrameworks = new Map<string, number>();
  return (root.getOptionalConfigArray(PREFIX) ?? []).map((entry, index) => {
    const key = `${PREFIX}[${index}]`;
    const id = entry.getString('id');
    if (!IMPORT_ID.test(id)) {
      throw invalid(
        `${key}.id`,
        `'${id}' must be lower-case letters, digits and dashes (at most 63)`,
      );
    }
    if (seenIds.has(id)) {
      throw invalid(
        `${key}.id`,
        `'${id}' is also the id of ${PREFIX}[${seenIds.get(id)}]`,
      );
    }
    seenIds.set(id, index);
    const framework = entry.getString('framework');
    if (!FRAMEWORK_ID.test(framework)) {
      throw invalid(
        `${key}.framework`,
        `'${framework}' must be lower-case letters, digits, dots and dashes (at most 100), e.g. nist-sp-800-53-rev5`,
      );
    }
    if (seenFrameworks.has(framework)) {
      throw invalid(
        `${key}.framework`,
        `'${framework}' is also imported by ${PREFIX}[${seenFrameworks.get(
          framework,
        )}]; a framework comes from one import`,
      );
    }
    seenFrameworks.set(framework, index);
    const ownerValue = entry.getString('owner');
    const owner = normalizeEntityRef(ownerValue, { defaultKind: 'Group' });
    if (!owner || !owner.startsWith('group:')) {
      throw invalid(
        `${key}.owner`,
        `'${ownerValue}' must be a group ref such as group:default/security-team`,
      );
    }
    return {
      id,
      framework,
      target: importTarget(entry.getString('target')),
      owner,
      schedule: readSchedule(entry, key),
    };
  });
}
