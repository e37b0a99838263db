import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { securityIncidentReadPermission } from '@open-itsm/plugin-security-management-common';
import searchPlugin from '@backstage/plugin-search-backend';
import request from 'supertest';
import { securityManagementPlugin } from '../plugin';
import {
  as,
  databases,
  refs,
  testCatalog,
} from '../__testUtils__/securityBackend';
import { searchModuleSecurityManagement } from './module';

const policy: Entity = {
  apiVersion: 'security.open-itsm.dev/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: {
    name: 'access-control-policy',
    namespace: 'default',
    title: 'Access control policy',
    description: 'Who may reach what',
  },
  spec: {
    owner: 'group:default/security-team',
    version: '1.0.0',
    status: 'approved',
    approval: { approver: 'user:default/ciso', approvedAt: '2026-01-01' },
    review: { cadence: 'P1Y' },
    statements: [
      {
        id: 'admin-mfa',
        title: 'Administrators',
        text: 'Administrative access uses multi-factor authentication',
        controls: ['mfa-admin-access'],
      },
    ],
  },
};

/**
 * What the permission policy decides: services may do everything (as with
 * Backstage's permission backend); `sec` may read every incident, `bob`
 * only those listed in `bobMayRead` (a conditional decision, resolved per
 * resource), `eve` none. Catalog entities are readable by all.
 */
function permissionDecisions(bobMayRead: Set<string>) {
  const permissions = mockServices.permissions.mock();
  const user = (credentials?: BackstageCredentials) =>
    credentials?.principal && 'userEntityRef' in (credentials.principal as any)
      ? (credentials.principal as { userEntityRef: string }).userEntityRef
      : undefined;
  const isService = (credentials?: BackstageCredentials) =>
    (credentials?.principal as { type?: string } | undefined)?.type ===
    'service';
  permissions.authorize.mockImplementation(async (requests, options) =>
    requests.map(({ permission, resourceRef }: any) => {
      if (isService(options?.credentials)) {
        return { result: AuthorizeResult.ALLOW };
      }
      const who = user(options?.credentials);
      if (permission.name !== securityIncidentReadPermission.name) {
        return {
          result:
            who === 'user:default/sec' ||
            permission.name === 'catalog.entity.read'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }
      if (who === 'user:default/sec') return { result: AuthorizeResult.ALLOW };
      return {
        result:
          who === 'user:default/bob' && bobMayRead.has(resourceRef)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    }),
  );
  permissions.authorizeConditional.mockImplementation(
    async (queries, options) =>
      queries.map(({ permission }) => {
        if (isService(options?.credentials)) {
          return { result: AuthorizeResult.ALLOW };
        }
        const who = user(options?.credentials);
        if (permission.name === 'catalog.entity.read') {
          return { result: AuthorizeResult.ALLOW };
        }
        if (who === 'user:default/sec')
          return { result: AuthorizeResult.ALLOW };
        if (who === 'user:default/bob' && isResourcePermission(permission)) {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'security-management',
            resourceType: permission.resourceType,
            conditions: {
              rule: 'AFFECTS_OWNED_ENTITY',
              resourceType: permission.resourceType,
              params: { ownerRefs: ['group:default/team-b'] },
            },
          };
        }
        return { result: AuthorizeResult.DENY };
      }) as any,
  );
  return permissions;
}

jest.setTimeout(60_000);

describe('security search', () => {
  const bobMayRead = new Set<string>();
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let scheduler: ReturnType<typeof mockServices.scheduler>;

  beforeEach(async () => {
    bobMayRead.clear();
    scheduler = mockServices.scheduler();
    backend = await startTestBackend({
      features: [
        securityManagementPlugin,
        searchPlugin,
        searchModuleSecurityManagement,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
        permissionDecisions(bobMayRead).factory,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        catalogServiceMock.factory({ entities: [...testCatalog(), policy] }),
      ],
    });
    await scheduler.triggerTask('security-management-catalog-sync');
  });

  afterEach(async () => {
    await backend?.stop();
  });

  async function openIncident(title: string, affected: string) {
    const res = await request(backend.server)
      .post('/api/security-management/incidents')
      .set(as.user('sec'))
      .send({
        title,
        description: `${title}: credential stuffing against the login`,
        severity: 'high',
        affectedEntities: [affected],
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function index() {
    for (const type of ['control', 'policy', 'incident']) {
      await scheduler.triggerTask(`search_index_security_${type}`);
    }
  }

  async function search(user: string, type: string, term = '') {
    const res = await request(backend.server)
      .get('/api/search/query')
      .query({ term, types: [type] })
      .set({
        Authorization: mockCredentials.user.header(`user:default/${user}`),
      });
    expect(res.status).toBe(200);
    return res.body.results as Array<{ type: string; document: any }>;
  }

  it('finds a control with its fields and catalog page', async () => {
    await index();
    const results = await search('alice', 'security-control', 'transit');
    expect(results).toEqual([
      expect.objectContaining({
        type: 'security-control',
        document: expect.objectContaining({
          title: 'Encrypt data in transit',
          location: '/catalog/default/securitycontrol/encrypt-data-in-transit',
          entityRef: refs.tls,
          owner: 'group:default/security-team',
          frameworks: ['nist-sp-800-53-rev5:SC-8'],
        }),
      }),
    ]);
  });

  it('finds a policy by the text of its statements', async () => {
    await index();
    const results = await search('alice', 'security-policy', 'multi-factor');
    expect(results.map(result => result.document)).toEqual([
      expect.objectContaining({
        title: 'Access control policy',
        location: '/catalog/default/securitypolicy/access-control-policy',
        owner: 'group:default/security-team',
        status: 'approved',
        version: '1.0.0',
      }),
    ]);
  });

  // The search backend asks the permission framework about each incident's
  // resource ref (its id) when the decision is conditional; that the plugin
  // resolves an incident id in apply-conditions is tested in plugin.test.ts.
  it('shows each incident only to readers who may read it', async () => {
    const payments = await openIncident('Payments breach', refs.payments);
    const ledger = await openIncident('Ledger breach', refs.ledger);
    bobMayRead.add(ledger);
    await index();

    const all = await search('sec', 'security-incident', 'breach');
    expect(all.map(result => result.document.title).sort()).toEqual([
      'Ledger breach',
      'Payments breach',
    ]);
    expect(
      all.find(result => result.document.incidentId === payments)?.document,
    ).toEqual(
      expect.objectContaining({
        title: 'Payments breach',
        severity: 'high',
        status: 'reported',
        affectedEntities: [refs.payments],
        location: `/security-management/incidents?incident=${payments}`,
      }),
    );

    const bob = await search('bob', 'security-incident', 'breach');
    expect(bob.map(result => result.document.incidentId)).toEqual([ledger]);

    expect(await search('eve', 'security-incident', 'breach')).toEqual([]);
  });
});
