import { SecurityAlert } from '@open-itsm/plugin-security-management-common';
import { fromNow, mockSecurityApi } from './fixtures';

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

/** The alert counts by status every alertsApi answer carries. */
export const alertCounts = { active: 2, resolved: 1, expired: 0 };

/**
 * An API whose alert list holds two active alerts, or one resolved alert
 * when asked for resolved ones.
 */
export function alertsApi(
  overrides: Parameters<typeof mockSecurityApi>[0] = {},
) {
  return mockSecurityApi({
    listAlerts: jest.fn(async query =>
      query?.status === 'resolved'
        ? {
            items: [
              securityAlert({
                id: 'alert-old',
                title: 'Phishing wave',
                status: 'resolved',
                resolution: 'Mail filter updated',
              }),
            ],
            totalCount: 1,
            counts: alertCounts,
          }
        : {
            items: [
              securityAlert(),
              securityAlert({
                id: 'alert-2',
                title: 'Scanning of the admin API',
                severity: 'low',
                scope: {
                  filter: { kind: 'component', 'spec.lifecycle': 'production' },
                },
                affectedEntityCount: 7,
              }),
            ],
            totalCount: 2,
            counts: alertCounts,
          },
    ),
    ...overrides,
  });
}
