import { screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { countsOf, feed, finding } from '../__testUtils__/advisories';
import { SecurityManagementTabs } from '../securityPage/SecurityManagementPage';

// Its own file: usePermission caches decisions for the whole module.
describe('SecurityManagementTabs with report.read only', () => {
  it('shows advisories and feeds but offers no move and no feed reading', async () => {
    const api = mockSecurityApi({
      listAdvisoryFindings: jest.fn().mockResolvedValue({
        items: [finding()],
        totalCount: 1,
        counts: countsOf([finding()]),
      }),
      getAdvisoryFeeds: jest
        .fn()
        .mockResolvedValue({ feeds: [feed()], componentErrors: [] }),
    });
    const { decide } = await renderWithApis(<SecurityManagementTabs />, {
      api,
      allow: ['security-management.report.read'],
      routeEntries: ['/advisories'],
    });
    expect(
      await screen.findByText('ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)'),
    ).toBeInTheDocument();
    expect(await screen.findByText('github-npm')).toBeInTheDocument();
    expect(
      screen.getByText("Every entity's components could be read."),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(askedPermissions(decide)).toEqual(
        expect.arrayContaining([
          'security-management.advisory.update',
          'security-management.advisory.manage',
        ]),
      ),
    );
    expect(screen.queryByRole('button', { name: 'Read feeds now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });
});
