import { screen } from '@testing-library/react';
import { campaignsApi } from '../__testUtils__/campaigns';
import { renderWithApis } from '../__testUtils__/fixtures';
import { SecurityDataProvider } from '../lib/data';
import { CampaignsTab } from './CampaignsTab';

// Permission decisions are cached per module: this file renders without
// campaign.manage.
describe('CampaignsTab without campaign.manage', () => {
  it('shows progress but offers neither start nor close', async () => {
    await renderWithApis(
      <SecurityDataProvider>
        <CampaignsTab />
      </SecurityDataProvider>,
      { api: campaignsApi(), allow: [] },
    );
    expect(await screen.findByText('TLS everywhere')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Start campaign' }),
    ).not.toBeInTheDocument();
    screen.getByText('TLS everywhere').click();
    expect(await screen.findByText('Progress by owner')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Close TLS everywhere' }),
    ).not.toBeInTheDocument();
  });
});
