import { Campaign } from '@open-itsm/plugin-security-management-common';
import { fromNow, mockSecurityApi } from './fixtures';

/** An active campaign on TLS over the production components. */
export function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'campaign-1',
    name: 'TLS everywhere',
    goal: 'Every production service proves TLS 1.2 or newer.',
    controlRefs: ['securitycontrol:default/encrypt-data-in-transit'],
    advisoryIds: [],
    scope: { filter: { kind: 'component', 'spec.lifecycle': 'production' } },
    entityCount: 12,
    deadline: fromNow({ days: 20 }),
    status: 'active',
    startedBy: 'user:default/nadia.okafor',
    startedAt: fromNow({ days: -10 }),
    progress: { entities: 8, items: 10, done: 4, excepted: 1 },
    ...overrides,
  };
}

/**
 * An API with one active campaign and one archived, missed one; the
 * active one's owners are two teams.
 */
export function campaignsApi(
  overrides: Parameters<typeof mockSecurityApi>[0] = {},
) {
  return mockSecurityApi({
    listCampaigns: jest.fn(async query =>
      query?.status === 'archived'
        ? {
            items: [
              campaign({
                id: 'campaign-old',
                name: 'MFA for admins',
                status: 'archived',
                archivedAt: fromNow({ days: -3 }),
                deadline: fromNow({ days: -3 }),
                progress: { entities: 3, items: 3, done: 2, excepted: 0 },
                result: {
                  endedBy: 'deadline',
                  met: false,
                  overall: { entities: 3, items: 3, done: 2, excepted: 0 },
                  owners: [],
                },
              }),
            ],
            totalCount: 1,
          }
        : { items: [campaign()], totalCount: 1 },
    ),
    getCampaign: jest.fn(async () => ({
      campaign: campaign(),
      owners: [
        {
          owner: 'group:default/payments-team',
          entities: 5,
          items: 6,
          done: 1,
          excepted: 0,
        },
        {
          owner: 'group:default/identity-team',
          entities: 3,
          items: 4,
          done: 3,
          excepted: 1,
        },
      ],
    })),
    ...overrides,
  });
}
