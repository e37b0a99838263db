import { screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { entityAdvisories } from '../__testUtils__/advisories';
import { SecurityDataProvider } from '../lib/data';
import { EntityAdvisoriesSection } from './EntityAdvisoriesSection';

// Its own file: usePermission caches decisions for the whole module.
describe('EntityAdvisoriesSection without advisory.update', () => {
  it('shows the findings but offers no move and no re-read', async () => {
    const { decide } = await renderWithApis(
      <SecurityDataProvider>
        <EntityAdvisoriesSection entityRef="component:default/shop" />
      </SecurityDataProvider>,
      {
        api: mockSecurityApi({
          getEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
        }),
        allow: ['security-management.posture.read'],
      },
    );
    expect(
      await screen.findByText('ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(askedPermissions(decide)).toContain(
        'security-management.advisory.update',
      ),
    );
    for (const name of [
      'Acknowledge',
      'Mitigated',
      'Not affected',
      'Resolve',
      'Re-read components',
    ]) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).toBeNull();
  });
});
