import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { incident, mockSecurityApi } from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
  describe('Incidents', () => {
    it('filters the register by status and severity', async () => {
      const api = mockSecurityApi({
        listIncidents: jest
          .fn()
          .mockResolvedValue({ items: [incident()], totalCount: 1 }),
      });
      await renderSecurityPage(api, '/incidents');
      expect(await screen.findByText('Leaked API key')).toBeInTheDocument();

      await userEvent.click(
        within(screen.getByRole('group', { name: 'Status' })).getByRole(
          'button',
          { name: 'Triaged' },
        ),
      );
      await userEvent.click(
        within(screen.getByRole('group', { name: 'Severity' })).getByRole(
          'button',
          { name: 'Critical' },
        ),
      );
      await waitFor(() =>
        expect(api.listIncidents).toHaveBeenLastCalledWith({
          status: ['triaged'],
          severity: ['critical'],
          limit: 200,
        }),
      );
    });

    it('opens a new incident from the register', async () => {
      const api = mockSecurityApi({
        listIncidents: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
        createIncident: jest.fn().mockResolvedValue(incident()),
      });
      await renderSecurityPage(api, '/incidents');
      expect(
        await screen.findByText('No incidents match these filters.'),
      ).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'Open incident' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.type(within(dialog).getByLabelText(/Title/), 'DDoS');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Severity/),
        'high',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Open incident' }),
      );
      expect(
        within(dialog).getByText('Name at least one entity'),
      ).toBeInTheDocument();
      await userEvent.type(
        within(dialog).getByLabelText(/Affected entities/),
        'component:default/shop, component:default/billing',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Open incident' }),
      );
      await waitFor(() =>
        expect(api.createIncident).toHaveBeenCalledWith(
          expect.objectContaining({
            title: 'DDoS',
            severity: 'high',
            affectedEntities: [
              'component:default/shop',
              'component:default/billing',
            ],
          }),
        ),
      );
      await waitFor(() => expect(api.listIncidents).toHaveBeenCalledTimes(2));
    });
  });
});
