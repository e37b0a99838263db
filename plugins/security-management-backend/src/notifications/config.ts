import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { isIsoDuration } from '@open-itsm/plugin-security-management-common';

/** The `securityManagement.notifications` settings. */
export interface NotificationSettings {
  /** Whether anything is sent; off unless configured. */
  enabled: boolean;
  /** The hour of the day (UTC, 0–23) the daily digest is sent. */
  digestHour: number;
  /** When the first digest runs after the first start, if not at the hour. */
  digestInitialDelay?: HumanDuration;
  /** How far ahead an approved exception's expiry is reminded of (ISO-8601). */
  exceptionsExpiringWithin: string;
  /** How often incident changes and raised alerts are looked for. */
  immediateFrequency: HumanDuration;
}

const KEY = 'securityManagement.notifications';

function readDuration(
  config: Config | undefined,
  key: string,
): HumanDuration | undefined {
  return config?.has(key) ? readDurationFromConfig(config, { key }) : undefined;
}

/** Reads and checks `securityManagement.notifications`. */
export function readNotificationSettings(config: Config): NotificationSettings {
  const section = config.getOptionalConfig(KEY);
  const digestHour = section?.getOptionalNumber('digest.hour') ?? 8;
  if (!Number.isInteger(digestHour) || digestHour < 0 || digestHour > 23) {
    throw new Error(
      `Invalid config at '${KEY}.digest.hour': ${digestHour} is not an hour from 0 to 23`,
    );
  }
  const exceptionsExpiringWithin =
    section?.getOptionalString('exceptionsExpiringWithin') ?? 'P14D';
  if (!isIsoDuration(exceptionsExpiringWithin)) {
    throw new Error(
      `Invalid config at '${KEY}.exceptionsExpiringWithin': '${exceptionsExpiringWithin}' is not a positive ISO-8601 duration such as P14D`,
    );
  }
  return {
    enabled: section?.getOptionalBoolean('enabled') ?? false,
    digestHour,
    digestInitialDelay: readDuration(section, 'digest.initialDelay'),
    exceptionsExpiringWithin,
    immediateFrequency: readDuration(section, 'immediate.frequency') ?? {
      minutes: 1,
    },
  };
}
