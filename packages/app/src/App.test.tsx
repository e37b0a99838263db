import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

describe('App', () => {
  beforeEach(() => {
    // No auth backend here: accept the legacy guest identity it offers.
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://127.0.0.1:1' },
          },
          context: 'test',
        },
      ] as any,
    };
  });

  it('puts the security managers page in the sidebar', async () => {
    render(App.createRoot());
    await userEvent.click(await screen.findByRole('button', { name: 'Enter' }));

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    const security = await screen.findByRole('link', { name: 'Security' });
    expect(nav).toContainElement(security);
    expect(security).toHaveAttribute('href', '/security-management');

    await userEvent.click(security);

    expect(
      await screen.findByRole('tab', { name: 'Testing schedule' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Control library' }),
    ).toBeInTheDocument();
  });
});
