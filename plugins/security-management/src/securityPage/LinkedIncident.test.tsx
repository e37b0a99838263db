import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fromNow,
  incident,
  mockSecurityApi,
  pending,
  responseError,
} from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';

/** The register holds another incident besides the linked one. */
function registerApi(overrides: Parameters<typeof mockSecurityApi>[0] = {}) {
  return mockSecurityApi({
    listIncidents: jest.fn().mockResolvedValue({
      items: [incident({ id: 'inc-2', title: 'Old phish', status: 'closed' })],
      totalCount: 1,
    }),
    getIncidentTimeline: jest.fn().mockResolvedValue({
      items: [
        {
          id: 't1',
          incidentId: 'inc-1',
          at: fromNow({ days: -1 }),
          actor: 'user:default/alice',
          action: 'created',
        },
      ],
    }),
    ...overrides,
  });
}

const notFound = () =>
  responseError({
    status: 404,
    name: 'NotFoundError',
    message: "No incident with id 'inc-9'",
  });

describe('Incidents tab opened with ?incident=<id>', () => {
  it('shows that incident with its details and actions above the register', async () => {
    const api = registerApi({
      getIncident: jest.fn().mockResolvedValue(incident()),
    });
    await renderSecurityPage(api, '/incidents?incident=inc-1');

    const card = await screen.findByRole('region', { name: 'Leaked API key' });
    expect(api.getIncident).toHaveBeenCalledWith({ id: 'inc-1' });
    expect(
      within(card).getByText('A key was pushed to a public repository.'),
    ).toBeInTheDocument();
    expect(
      await within(card).findByText(/user:default\/alice: created/),
    ).toBeInTheDocument();
    expect(api.getIncidentTimeline).toHaveBeenCalledWith({ id: 'inc-1' });

    const register = await screen.findByText('Old phish');
    expect(
      card.compareDocumentPosition(register) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();

    await userEvent.click(within(card).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/Title/)).toHaveValue(
      'Leaked API key',
    );
  });

  it('says an incident is missing or hidden without saying which, and keeps the register', async () => {
    const api = registerApi({
      getIncident: jest.fn().mockRejectedValue(await notFound()),
    });
    await renderSecurityPage(api, '/incidents?incident=inc-9');

    expect(
      await screen.findByText(
        'This incident does not exist or you may not see it.',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('Old phish')).toBeInTheDocument();
    expect(screen.queryByText(/No incident with id/)).toBeNull();
  });

  it('removes the incident with "Show all incidents"', async () => {
    const api = registerApi({
      getIncident: jest.fn().mockResolvedValue(incident()),
    });
    await renderSecurityPage(api, '/incidents?incident=inc-1');
    await screen.findByRole('region', { name: 'Leaked API key' });

    await userEvent.click(
      screen.getByRole('button', { name: 'Show all incidents' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'Leaked API key' }),
      ).toBeNull(),
    );
    expect(screen.getByText('Old phish')).toBeInTheDocument();
    expect(api.getIncident).toHaveBeenCalledTimes(1);
  });

  it('shows progress while the incident loads', async () => {
    const api = registerApi({
      getIncident: jest.fn().mockReturnValue(pending()),
    });
    await renderSecurityPage(api, '/incidents?incident=inc-1');
    await screen.findByText('Old phish');
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows other errors with Retry', async () => {
    const api = registerApi({
      getIncident: jest.fn().mockRejectedValue(
        await responseError({
          status: 500,
          name: 'Error',
          message: 'Database unavailable',
        }),
      ),
    });
    await renderSecurityPage(api, '/incidents?incident=inc-1');
    expect(
      await screen.findByText(/Could not view this incident/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('shows nothing above the register without the parameter', async () => {
    const api = registerApi();
    await renderSecurityPage(api, '/incidents');
    expect(await screen.findByText('Old phish')).toBeInTheDocument();
    expect(api.getIncident).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('button', { name: 'Show all incidents' }),
    ).toBeNull();
  });
});
