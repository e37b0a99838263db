import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { alertsApi } from '../__testUtils__/alerts';
import { renderSecurityPage } from '../__testUtils__/surfaces';

// Its own file: permission decisions are cached per module, and this test
// renders without alert.manage while the others in AlertsTab.test.tsx
// render with it.
jest.setTimeout(60_000);

describe('AlertsTab on the security page', () => {
  it('is a tab of the security page: active alerts first, counts by status, no actions without alert.manage', async () => {
    const api = alertsApi();
    await renderSecurityPage(api, '/alerts');
    expect(
      await screen.findByText('Credential stuffing against customer logins'),
    ).toBeInTheDocument();
    expect(api.listAlerts).toHaveBeenCalledWith({
      status: 'active',
      limit: 200,
    });
    expect(screen.getByText('7 entities')).toBeInTheDocument();
    expect(
      screen.getByText('matching kind=component, spec.lifecycle=production'),
    ).toBeInTheDocument();
    const status = screen.getByRole('group', { name: 'Status' });
    expect(
      within(status).getByRole('button', { name: 'Active (2)' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByRole('button', { name: 'Raise alert' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Resolve / })).toBeNull();

    await userEvent.click(
      within(status).getByRole('button', { name: 'Resolved (1)' }),
    );
    expect(await screen.findByText('Phishing wave')).toBeInTheDocument();
    expect(screen.getByText('Mail filter updated')).toBeInTheDocument();
    expect(api.listAlerts).toHaveBeenLastCalledWith({
      status: 'resolved',
      limit: 200,
    });
  });
});
