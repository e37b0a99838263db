import { securityManagementApiRef, SecurityManagementClient } from './api';
import { securityManagementPlugin } from './plugin';
import { rootRouteRef } from './routes';

describe('securityManagementPlugin', () => {
  it('provides the HTTP client for the Security Management API', () => {
    const factory = [...securityManagementPlugin.getApis()].find(
      f => f.api.id === securityManagementApiRef.id,
    )!;
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://backstage' },
      fetchApi: { fetch },
    });
    expect(client).toBeInstanceOf(SecurityManagementClient);
  });

  it('routes its page through rootRouteRef', () => {
    expect(securityManagementPlugin.routes.root).toBe(rootRouteRef);
    expect(securityManagementPlugin.getId()).toBe('security-management');
  });
});
