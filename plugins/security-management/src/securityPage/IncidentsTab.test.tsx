import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  incident,
  mockSecurityApi,
  responseError,
} from '../__testUtils__/fixtures';
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

    it('edits an incident, sending only what changed and the version', async () => {
      const api = mockSecurityApi({
        listIncidents: jest.fn().mockResolvedValue({
          items: [
            incident({
              externalReferences: [
                { type: 'ticket', url: 'https://jira.example.com/SEC-1' },
              ],
            }),
          ],
          totalCount: 1,
        }),
        updateIncident: jest.fn().mockResolvedValue(incident({ version: 4 })),
      });
      await renderSecurityPage(api, '/incidents');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Edit' }),
      );
      const dialog = await screen.findByRole('dialog');
      expect(within(dialog).getByLabelText(/Title/)).toHaveValue(
        'Leaked API key',
      );
      expect(within(dialog).getByLabelText(/External references/)).toHaveValue(
        'ticket https://jira.example.com/SEC-1',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );
      expect(
        within(dialog).getByText('Change at least one field'),
      ).toBeInTheDocument();

      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Severity/),
        'critical',
      );
      await userEvent.type(
        within(dialog).getByLabelText(/Failed controls/),
        'securitycontrol:default/secrets',
      );
      await userEvent.type(
        within(dialog).getByLabelText(/External references/),
        '{enter}https://chat.example.com/c/42',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );
      await waitFor(() =>
        expect(api.updateIncident).toHaveBeenCalledWith({
          id: 'inc-1',
          patch: {
            version: 3,
            severity: 'critical',
            failedControls: ['securitycontrol:default/secrets'],
            externalReferences: [
              { type: 'ticket', url: 'https://jira.example.com/SEC-1' },
              { type: 'link', url: 'https://chat.example.com/c/42' },
            ],
          },
        }),
      );
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    });

    it('says an incident changed meanwhile and reloads it for editing', async () => {
      const api = mockSecurityApi({
        listIncidents: jest
          .fn()
          .mockResolvedValueOnce({ items: [incident()], totalCount: 1 })
          .mockResolvedValue({
            items: [incident({ title: 'Leaked deploy key', version: 4 })],
            totalCount: 1,
          }),
        updateIncident: jest
          .fn()
          .mockRejectedValueOnce(
            await responseError({
              status: 409,
              name: 'ConflictError',
              message: 'Incident inc-1 was changed by someone else',
            }),
          )
          .mockResolvedValue(incident({ version: 5 })),
      });
      await renderSecurityPage(api, '/incidents');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Edit' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Severity/),
        'low',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );
      expect(
        await within(dialog).findByText(/Changed by someone else meanwhile/),
      ).toBeInTheDocument();

      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Reload' }),
      );
      await waitFor(() =>
        expect(within(dialog).getByLabelText(/Title/)).toHaveValue(
          'Leaked deploy key',
        ),
      );
      expect(within(dialog).getByLabelText(/Severity/)).toHaveValue('high');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Severity/),
        'low',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );
      await waitFor(() =>
        expect(api.updateIncident).toHaveBeenLastCalledWith({
          id: 'inc-1',
          patch: { version: 4, severity: 'low' },
        }),
      );
    });

    it('moves an incident with a note, and requires one to reopen', async () => {
      const api = mockSecurityApi({
        listIncidents: jest.fn().mockResolvedValue({
          items: [
            incident(),
            incident({ id: 'inc-2', title: 'Old phish', status: 'closed' }),
          ],
          totalCount: 2,
        }),
        transitionIncident: jest.fn().mockResolvedValue(incident()),
      });
      await renderSecurityPage(api, '/incidents');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Move to Triaged' }),
      );
      let dialog = await screen.findByRole('dialog');
      await userEvent.type(
        within(dialog).getByLabelText(/Note/),
        'Key revoked; scope being checked',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Move to Triaged' }),
      );
      await waitFor(() =>
        expect(api.transitionIncident).toHaveBeenCalledWith({
          id: 'inc-1',
          to: 'triaged',
          version: 3,
          note: 'Key revoked; scope being checked',
        }),
      );
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

      await userEvent.click(screen.getByRole('button', { name: 'Reopen' }));
      dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Reopen' }),
      );
      expect(
        within(dialog).getByText('Say why the incident is reopened'),
      ).toBeInTheDocument();
      expect(api.transitionIncident).toHaveBeenCalledTimes(1);
    });
  });
});
