import { SecurityAlert } from '@open-itsm/plugin-security-management-common';
import { fromNow } from './fixtures';

/** An active alert on the shop service, raised by a security manager. */
export function securityAlert(
  overrides: Partial<SecurityAlert> = {},
): SecurityAlert {
  return {
    id: 'alert-1',
    title: 'Credential stuffing against customer logins',
    description: 'A botnet is replaying leaked passwords against /login.',
    severity: 'critical',
    precautions: 'Watch the failed-login rate and rotate shared passwords.',
    scope: { entityRefs: ['component:default/shop'] },
    affectedEntityCount: 1,
    expiresAt: fromNow({ days: 3 }),
    status: 'active',
    source: 'manual',
    raisedBy: 'user:default/nadia.okafor',
    raisedAt: fromNow({ hours: -2 }),
    ...overrides,
  };
}
