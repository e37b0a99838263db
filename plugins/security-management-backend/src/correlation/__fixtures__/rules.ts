import { ConfigReader } from '@backstage/config';
import { CorrelationRule } from '@open-itsm/plugin-security-management-common';
import { readCorrelationSettings } from '../settings';

/** The example rule of the README: five failed logins in ten minutes. */
export const authFailures: CorrelationRule = {
  id: 'repeated-auth-failures',
  title: 'Repeated authentication failures',
  topic: 'security',
  match: { type: 'auth.failure' },
  fingerprint: ['entityRef', 'source.ip'],
  entity: 'entityRef',
  threshold: 5,
  window: 'PT10M',
  incident: {
    title: '{{count}} failed logins on {{entityRef}} from {{source.ip}}',
    severity: 'high',
  },
};

/** The settings of `securityManagement.correlation` with these rules. */
export function settingsWith(...rules: CorrelationRule[]) {
  return readCorrelationSettings(
    new ConfigReader({ securityManagement: { correlation: { rules } } }),
  );
}

/** An authentication failure on an entity from an address. */
export function authFailure(
  entityRef: string,
  ip: string,
  extra: Record<string, unknown> = {},
) {
  return { type: 'auth.failure', entityRef, source: { ip }, ...extra };
}
