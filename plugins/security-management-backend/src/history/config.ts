import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';

/** How the posture history is kept (`securityManagement.history`). */
export interface HistorySettings {
  /** Days of history kept; older days are deleted by the snapshot job. */
  retentionDays: number;
  /**
   * At most this many days before the first snapshot are computed from
   * the records (never before the earliest test or review).
   */
  backfillDays: number;
  /** How often today's snapshot is taken (each run updates the day's rows). */
  frequency: HumanDuration;
}

function readDays(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > 3660) {
    throw new Error(
      `Invalid config at '${key}': '${value}' is not a whole number of days from 0 to 3660`,
    );
  }
  return value;
}

/** Reads and checks `securityManagement.history`. */
export function readHistorySettings(config: Config): HistorySettings {
  const frequencyKey = 'securityManagement.history.frequency';
  const retentionDays = readDays(
    config,
    'securityManagement.history.retentionDays',
    400,
  );
  if (retentionDays < 1) {
    throw new Error(
      `Invalid config at 'securityManagement.history.retentionDays': keep at least 1 day`,
    );
  }
  return {
    retentionDays,
    backfillDays: readDays(
      config,
      'securityManagement.history.backfillDays',
      30,
    ),
    frequency: config.has(frequencyKey)
      ? readDurationFromConfig(config, { key: frequencyKey })
      : { hours: 1 },
  };
}
