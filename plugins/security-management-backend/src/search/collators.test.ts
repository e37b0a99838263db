import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Incident,
  securityIncidentReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { Readable } from 'stream';
import { testCatalog } from '../__testUtils__/securityBackend';
import {
  SecurityControlCollatorFactory,
  SecurityIncidentCollatorFactory,
} from './collators';

async function collect(readable: Readable): Promise<any[]> {
  const documents = [];
  for await (const document of readable) documents.push(document);
  return documents;
}

function incident(id: string): Incident {
  return {
    id,
    title: `Incident ${id}`,
    description: 'Leaked key',
    severity: 'critical',
    status: 'contained',
    affectedEntities: ['component:default/ledger'],
    failedControls: [],
    externalReferences: [],
    phases: {},
    createdBy: 'user:default/sec',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}

describe('security collators', () => {
  it('gives each control the catalog read permission on its entity', async () => {
    const factory = new SecurityControlCollatorFactory({
      catalog: catalogServiceMock({ entities: testCatalog() }),
      auth: mockServices.auth(),
    });
    expect(factory.visibilityPermission.name).toBe('catalog.entity.read');
    const documents = await collect(await factory.getCollator());
    expect(documents).toContainEqual(
      expect.objectContaining({
        title: 'MFA for admin access',
        location: '/catalog/default/securitycontrol/mfa-admin-access',
        authorization: {
          resourceRef: 'securitycontrol:default/mfa-admin-access',
        },
      }),
    );
    expect(documents).toHaveLength(3);
  });

  it('reads every page of incidents with its own credentials, each authorized by its id', async () => {
    const urls: string[] = [];
    const headers: string[] = [];
    const pages = [
      Array.from({ length: 500 }, (_, i) => incident(`a${i}`)),
      [incident('last')],
    ];
    const factory = new SecurityIncidentCollatorFactory({
      discovery: mockServices.discovery(),
      auth: mockServices.auth({ pluginId: 'search' }),
      fetch: (async (url: string, init: any) => {
        urls.push(url);
        headers.push(init.headers.Authorization);
        return new Response(
          JSON.stringify({ items: pages[urls.length - 1], totalCount: 501 }),
        );
      }) as any,
    });
    expect(factory.visibilityPermission).toBe(securityIncidentReadPermission);
    const documents = await collect(await factory.getCollator());
    expect(urls.map(url => new URL(url).search)).toEqual([
      '?limit=500&offset=0',
      '?limit=500&offset=500',
    ]);
    expect(headers[0]).toContain('search');
    expect(documents).toHaveLength(501);
    expect(documents[500]).toEqual({
      title: 'Incident last',
      text: 'Leaked key',
      location: '/security-management/incidents?incident=last',
      incidentId: 'last',
      severity: 'critical',
      status: 'contained',
      affectedEntities: ['component:default/ledger'],
      authorization: { resourceRef: 'last' },
    });
  });

  it('fails the indexing run when the API refuses', async () => {
    const factory = new SecurityIncidentCollatorFactory({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      fetch: (async () =>
        new Response(JSON.stringify({ error: { message: 'no' } }), {
          status: 403,
        })) as any,
    });
    await expect(collect(await factory.getCollator())).rejects.toThrow(/403/);
  });
});
