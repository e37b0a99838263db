import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePolicyStore } from './DatabasePolicyStore';
import { StoredPolicy } from './PolicyStore';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const ROOT = 'securitypolicy:default/it-security-policy';
const ACCESS = 'securitypolicy:default/access-control-policy';
const CRYPTO = 'securitypolicy:default/cryptography-policy';
const TLS = 'securitycontrol:default/tls';
const MFA = 'securitycontrol:default/mfa';
const LOGS = 'securitycontrol:default/audit-logging';

function policy(
  ref: string,
  overrides: Partial<StoredPolicy> = {},
): StoredPolicy {
  return {
    ref,
    title: ref.split('/')[1],
    owner: 'group:default/security-team',
    version: '1.0.0',
    status: 'approved',
    approver: 'user:default/ciso',
    approvedAt: '2026-01-15T00:00:00.000Z',
    reviewCadence: 'P1Y',
    nextReviewAt: '2027-01-15T00:00:00.000Z',
    statements: [
      { id: 'one', text: 'First statement.', controlRefs: [TLS] },
      {
        id: 'two',
        title: 'Second',
        text: 'Second statement.',
        controlRefs: [MFA, LOGS],
      },
    ],
    ...overrides,
  };
}

describe('DatabasePolicyStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabasePolicyStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    return { knex, store };
  }

  async function rowCount(knex: Knex, table: string) {
    const [row] = await knex(table).count({ n: '*' });
    return Number(row.n);
  }

  it.each(databases.eachSupportedId())(
    'stores policies with their statements and controls in order, and reads them back, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const root = policy(ROOT, { description: 'The top of the tree.' });
      const draft = policy(ACCESS, {
        status: 'draft',
        approver: undefined,
        approvedAt: undefined,
        nextReviewAt: undefined,
        parentRef: ROOT,
        statements: [
          { id: 'zeta', text: 'Listed first.', controlRefs: [LOGS, MFA] },
          { id: 'alpha', text: 'Listed second.', controlRefs: [] },
        ],
      });
      await expect(
        store.replacePolicies({ policies: [root, draft], now: NOW }),
      ).resolves.toEqual({
        policyCount: 2,
        statementCount: 4,
        removedPolicyCount: 0,
      });
      await expect(store.listPolicies()).resolves.toEqual([draft, root]);
    },
  );

  it.each(databases.eachSupportedId())(
    'replaces the snapshot: changed statements and controls, removed policies gone, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await store.replacePolicies({
        policies: [policy(ROOT), policy(ACCESS), policy(CRYPTO)],
        now: NOW,
      });
      const changed = policy(ROOT, {
        version: '2.0.0',
        statements: [
          { id: 'two', text: 'Now first, reworded.', controlRefs: [LOGS] },
          { id: 'three', text: 'New.', controlRefs: [TLS, MFA] },
        ],
      });
      await expect(
        store.replacePolicies({
          policies: [changed, policy(CRYPTO)],
          now: NOW,
        }),
      ).resolves.toEqual({
        policyCount: 2,
        statementCount: 4,
        removedPolicyCount: 1,
      });
      await expect(store.listPolicies()).resolves.toEqual([
        policy(CRYPTO),
        changed,
      ]);
      expect(await rowCount(knex, 'security_policy_statements')).toBe(4);
      expect(await rowCount(knex, 'security_policy_controls')).toBe(6);

      await store.replacePolicies({ policies: [], now: NOW });
      await expect(store.listPolicies()).resolves.toEqual([]);
      expect(await rowCount(knex, 'security_policy_controls')).toBe(0);
      expect(await rowCount(knex, 'security_policy_statements')).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'two syncs at once store the snapshot once, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.replacePolicies({ policies: [policy(ROOT)], now: NOW });
      const next = [
        policy(ACCESS),
        policy(ROOT, { version: '1.1.0' }),
        policy(CRYPTO),
      ];
      await Promise.all([
        store.replacePolicies({ policies: next, now: NOW }),
        store.replacePolicies({ policies: next, now: NOW }),
      ]);
      await expect(store.listPolicies()).resolves.toEqual([
        policy(ACCESS),
        policy(CRYPTO),
        policy(ROOT, { version: '1.1.0' }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists the approved policies due for review as of an instant, the longest overdue first, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.replacePolicies({
        policies: [
          policy(ROOT, { nextReviewAt: '2026-05-01T00:00:00.000Z' }),
          policy(ACCESS, { nextReviewAt: '2026-06-01T00:00:00.000Z' }),
          policy(CRYPTO, { nextReviewAt: '2026-06-01T00:00:00.001Z' }),
          policy('securitypolicy:default/retired', {
            status: 'retired',
            nextReviewAt: '2025-01-01T00:00:00.000Z',
          }),
          policy('securitypolicy:default/draft', {
            status: 'draft',
            approver: undefined,
            approvedAt: undefined,
            nextReviewAt: '2025-01-01T00:00:00.000Z',
          }),
        ],
        now: NOW,
      });
      await expect(store.listPoliciesDueForReview(NOW)).resolves.toEqual([
        {
          ref: ROOT,
          title: 'it-security-policy',
          owner: 'group:default/security-team',
          version: '1.0.0',
          approver: 'user:default/ciso',
          approvedAt: '2026-01-15T00:00:00.000Z',
          nextReviewAt: '2026-05-01T00:00:00.000Z',
        },
        expect.objectContaining({
          ref: ACCESS,
          nextReviewAt: '2026-06-01T00:00:00.000Z',
        }),
      ]);
      await expect(
        store.listPoliciesDueForReview(new Date('2026-04-30T23:59:59.999Z')),
      ).resolves.toEqual([]);
    },
  );
});
