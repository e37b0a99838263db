import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockSecurityApi,
  pending,
  renderWithApis,
  responseError,
  serviceEntity,
} from '../__testUtils__/fixtures';
import { securityAlert } from '../__testUtils__/alerts';
import { forbidden } from '../__testUtils__/surfaces';
import { EntitySecurityAlertBanner } from './EntitySecurityAlertBanner';

function renderBanner(listEntityAlerts: jest.Mock) {
  const api = mockSecurityApi({ listEntityAlerts });
  return renderWithApis(
    <>
      <EntitySecurityAlertBanner />
      <p>The rest of the page</p>
    </>,
    { api, entity: serviceEntity },
  );
}

describe('EntitySecurityAlertBanner', () => {
  it('shows each active alert of the entity with its severity, precautions, expiry and who raised it', async () => {
    const listEntityAlerts = jest.fn().mockResolvedValue({
      items: [
        securityAlert(),
        securityAlert({
          id: 'alert-2',
          title: 'CVE-2024-3400 exploited in the wild',
          severity: 'medium',
          source: 'rule',
          ruleId: 'kev-production-service',
          raisedBy: 'rule:kev-production-service',
          expiresAt: undefined,
        }),
      ],
    });
    await renderBanner(listEntityAlerts);

    const first = await screen.findByRole('alert', {
      name: 'Security alert: Credential stuffing against customer logins',
    });
    expect(listEntityAlerts).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
    });
    expect(first).toHaveTextContent(
      'Critical security alert: Credential stuffing against customer logins',
    );
    expect(first).toHaveTextContent(
      'Precautions: Watch the failed-login rate and rotate shared passwords.',
    );
    expect(first).toHaveTextContent(/expires .*2\d\d\d/);
    expect(within(first).getByRole('link')).toHaveTextContent('nadia.okafor');

    const second = screen.getByRole('alert', {
      name: 'Security alert: CVE-2024-3400 exploited in the wild',
    });
    expect(second).toHaveTextContent(
      'Raised by the rule kev-production-service',
    );
    expect(second).toHaveTextContent('until resolved');
  });

  it.each([
    ['while loading', () => pending()],
    ['when there is no alert', async () => ({ items: [] })],
    [
      'for a viewer who may not read alerts',
      async () => Promise.reject(await forbidden()),
    ],
  ])('renders nothing %s', async (_case, answer) => {
    const listEntityAlerts = jest.fn(answer);
    await renderBanner(listEntityAlerts);
    await screen.findByText('The rest of the page');
    await waitFor(() => expect(listEntityAlerts).toHaveBeenCalled());
    // Let the answer arrive and render.
    await act(() => new Promise(resolve => setTimeout(resolve, 20)));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/could not be loaded/)).not.toBeInTheDocument();
  });

  it('says quietly that alerts could not be loaded, keeps the page, and retries', async () => {
    const listEntityAlerts = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError({
          status: 500,
          name: 'Error',
          message: 'boom',
        }),
      )
      .mockResolvedValue({ items: [securityAlert()] });
    await renderBanner(listEntityAlerts);
    expect(
      await screen.findByText(
        /Security alerts for this entity could not be loaded/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('The rest of the page')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('alert', {
        name: /Credential stuffing/,
      }),
    ).toBeInTheDocument();
  });
});
