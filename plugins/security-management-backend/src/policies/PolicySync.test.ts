import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { PolicyStore, StoredPolicy } from './PolicyStore';
import { PolicySync } from './PolicySync';

const NOW = new Date('2026-06-01T00:00:00.000Z');

function entity(
  name: string,
  spec: Record<string, unknown>,
  overrides: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name, namespace: 'security' },
    spec: {
      owner: 'security-team',
      version: '2.1',
      status: 'approved',
      approval: { approver: 'ciso', approvedAt: '2026-01-31' },
      review: { cadence: 'P1M' },
      statements: [
        {
          id: 'one',
          text: 'Text.',
          controls: ['tls', 'securitycontrol:security/TLS', 'shared/backups'],
        },
      ],
      ...spec,
    },
    ...overrides,
  };
}

async function sync(entities: Entity[]) {
  const stored: StoredPolicy[][] = [];
  const store: PolicyStore = {
    replacePolicies: async ({ policies }) => {
      stored.push(policies);
      return {
        policyCount: policies.length,
        statementCount: 0,
        removedPolicyCount: 0,
      };
    },
    listPolicies: async () => [],
    listPoliciesDueForReview: async () => [],
  };
  const logger = mockServices.logger.mock();
  await new PolicySync({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    store,
    logger,
  }).run(NOW);
  return { stored: stored[0], logger };
}

describe('PolicySync', () => {
  it('stores a valid policy with full lower-case refs in its own namespace', async () => {
    const { stored } = await sync([
      entity('access', { parent: 'IT-Security' }, {}),
    ]);
    expect(stored).toEqual([
      {
        ref: 'securitypolicy:security/access',
        title: 'access',
        description: undefined,
        owner: 'group:security/security-team',
        version: '2.1',
        status: 'approved',
        approver: 'user:security/ciso',
        approvedAt: '2026-01-31T00:00:00.000Z',
        reviewCadence: 'P1M',
        // The approval plus the cadence, in UTC.
        nextReviewAt: '2026-02-28T00:00:00.000Z',
        parentRef: 'securitypolicy:security/it-security',
        statements: [
          {
            id: 'one',
            title: undefined,
            text: 'Text.',
            // Named twice, stored once.
            controlRefs: [
              'securitycontrol:security/tls',
              'securitycontrol:shared/backups',
            ],
          },
        ],
      },
    ]);
  });

  it('skips invalid policies and unknown versions with a warning naming the problem', async () => {
    const { stored, logger } = await sync([
      entity('good', {
        review: { cadence: 'P1Y', nextReviewAt: '2027-03-01' },
      }),
      entity('bad', { version: 2 }),
      entity('future', {}, { apiVersion: 'security.open-itsm.dev/v2' }),
    ]);
    expect(stored.map(p => [p.ref, p.nextReviewAt])).toEqual([
      ['securitypolicy:security/good', '2027-03-01T00:00:00.000Z'],
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      "Skipping invalid SecurityPolicy securitypolicy:security/bad: spec.version must be of type string; quote it in YAML, e.g. '2'",
    );
    expect(logger.warn).toHaveBeenCalledWith(
      "Skipping securitypolicy:security/future: apiVersion 'security.open-itsm.dev/v2' is not a supported SecurityPolicy version",
    );
  });
});
