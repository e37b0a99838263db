import { act, screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { SecurityManagementTabs } from '../securityPage/SecurityManagementPage';

// Its own file: usePermission caches decisions for the whole module.
describe('SecurityManagementTabs without report.read', () => {
  it('has no Advisories tab and reads no advisory', async () => {
    const api = mockSecurityApi({
      getPostureRollup: jest.fn().mockResolvedValue({ by: 'owner', items: [] }),
      getReport: jest.fn(() => new Promise(() => {})),
      listPosture: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    });
    const { decide } = await renderWithApis(<SecurityManagementTabs />, {
      api,
      allow: [],
      routeEntries: ['/advisories'],
    });
    await waitFor(() =>
      expect(askedPermissions(decide)).toContain(
        'security-management.report.read',
      ),
    );
    // Let the denial reach the page before looking for the tab.
    await act(() => new Promise(resolve => setTimeout(resolve, 100)));
    expect(screen.getByRole('tab', { name: 'Overview' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Advisories' })).toBeNull();
    expect(api.listAdvisoryFindings).not.toHaveBeenCalled();
    expect(api.getAdvisoryFeeds).not.toHaveBeenCalled();
  });
});
