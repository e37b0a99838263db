import { screen } from '@testing-library/react';
import { mockSecurityApi, renderWithApis } from '../__testUtils__/fixtures';
import { SecurityManagementTabs } from '../securityPage/SecurityManagementPage';

// Its own file: usePermission caches decisions for the whole module.
describe('the Events tab without the report permission', () => {
  it('is not offered, and nothing about events is read', async () => {
    const api = mockSecurityApi({
      getPostureRollup: jest.fn().mockResolvedValue({ by: 'owner', items: [] }),
      listPosture: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
      listCorrelationRules: jest.fn(),
    });
    await renderWithApis(<SecurityManagementTabs />, {
      api,
      allow: [],
      routeEntries: ['/'],
    });
    expect(
      await screen.findByRole('tab', { name: 'Overview' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Events' })).toBeNull();
    expect(api.listCorrelationRules).not.toHaveBeenCalled();
  });
});
