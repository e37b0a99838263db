import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { securityAlertManagePermission } from '@open-itsm/plugin-security-management-common';
import { alertsApi, securityAlert } from '../__testUtils__/alerts';
import {
  mockSecurityApi,
  renderWithApis,
  responseError,
} from '../__testUtils__/fixtures';
import { openDialog } from '../__testUtils__/surfaces';
import { SecurityDataProvider } from '../lib/data';
import { AlertsTab } from './AlertsTab';

// Dialogs of ten fields are slow to fill in jsdom on a busy machine.
jest.setTimeout(60_000);

const MANAGE = securityAlertManagePermission.name;
/** Types a value at once, as a paste: typing key by key is slow in a dialog this size. */
async function fill(field: HTMLElement, value: string) {
  await userEvent.click(field);
  await userEvent.paste(value);
}

function renderTab(api: ReturnType<typeof mockSecurityApi>, allow = [MANAGE]) {
  return renderWithApis(
    <SecurityDataProvider>
      <AlertsTab />
    </SecurityDataProvider>,
    { api, allow },
  );
}

describe('AlertsTab', () => {
  it('says when there is no alert, and when alerts cannot be loaded', async () => {
    const empty = mockSecurityApi({
      listAlerts: jest.fn().mockResolvedValue({
        items: [],
        totalCount: 0,
        counts: { active: 0, resolved: 0, expired: 0 },
      }),
    });
    const { unmount } = await renderTab(empty);
    expect(await screen.findByText('No active alert.')).toBeInTheDocument();
    unmount();

    const failing = mockSecurityApi({
      listAlerts: jest
        .fn()
        .mockRejectedValue(
          await responseError({ status: 500, name: 'Error', message: 'boom' }),
        ),
    });
    await renderTab(failing);
    expect(
      await screen.findByText(/Could not view security alerts/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('raises an alert: the contract checks the request first, each problem at its field', async () => {
    const api = alertsApi({
      raiseAlert: jest.fn().mockResolvedValue(securityAlert()),
    });
    await renderTab(api);
    await screen.findByText('Credential stuffing against customer logins');
    const dialog = await openDialog('Raise alert');
    const submit = () =>
      userEvent.click(
        within(dialog).getByRole('button', { name: 'Raise alert' }),
      );

    await submit();
    expect(
      within(dialog).getByText('Give the alert a title'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Choose the severity')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Say what the staff of these services should do',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Name the affected entities, or fill in the filter below',
      ),
    ).toBeInTheDocument();

    await fill(within(dialog).getByLabelText(/^Title/), 'Botnet');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/^Severity/),
      'high',
    );
    await fill(
      within(dialog).getByLabelText(/^What is happening/),
      'Leaked passwords replayed',
    );
    await fill(within(dialog).getByLabelText(/^Precautions/), 'Enforce MFA');
    await fill(
      within(dialog).getByLabelText(/^Affected entities/),
      'payments-api, not a ref!',
    );
    await fill(within(dialog).getByLabelText('Owner'), 'a b');
    await userEvent.type(
      within(dialog).getByLabelText('Expires'),
      '2020-01-01',
    );
    await submit();
    expect(
      within(dialog).getByText(
        "'not a ref!' is not an entity ref; expected kind:[namespace/]name",
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Enter a group ref such as group:default/payments',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('The expiry must be in the future'),
    ).toBeInTheDocument();
    expect(api.raiseAlert).not.toHaveBeenCalled();

    const refs = within(dialog).getByLabelText(/^Affected entities/);
    await userEvent.clear(refs);
    await fill(refs, 'payments-api');
    await userEvent.clear(within(dialog).getByLabelText('Owner'));
    await fill(within(dialog).getByLabelText('Owner'), 'payments');
    await fill(within(dialog).getByLabelText('Lifecycle'), 'production');
    await userEvent.clear(within(dialog).getByLabelText('Expires'));
    await submit();

    await waitFor(() =>
      expect(api.raiseAlert).toHaveBeenCalledWith({
        title: 'Botnet',
        severity: 'high',
        description: 'Leaked passwords replayed',
        precautions: 'Enforce MFA',
        entityRefs: ['component:default/payments-api'],
        filter: {
          'spec.lifecycle': 'production',
          'relations.ownedBy': 'group:default/payments',
        },
        expiresAt: undefined,
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The list reloads with the new alert.
    await waitFor(() => expect(api.listAlerts).toHaveBeenCalledTimes(2));
  });

  it("shows the server's refusal in the dialog", async () => {
    const api = alertsApi({
      raiseAlert: jest.fn().mockRejectedValue(
        await responseError({
          status: 400,
          name: 'InputError',
          message:
            'Invalid request body: filter: matches no entity in the catalog',
        }),
      ),
    });
    await renderTab(api);
    const dialog = await openDialog('Raise alert');
    await fill(within(dialog).getByLabelText(/^Title/), 'Botnet');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/^Severity/),
      'low',
    );
    await fill(within(dialog).getByLabelText(/^What is happening/), 'x');
    await fill(within(dialog).getByLabelText(/^Precautions/), 'y');
    await fill(within(dialog).getByLabelText('Kind'), 'component');
    await fill(within(dialog).getByLabelText('Lifecycle'), 'retired');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Raise alert' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'filter: matches no entity in the catalog',
    );
    expect(api.raiseAlert).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: undefined,
        filter: { kind: 'component', 'spec.lifecycle': 'retired' },
      }),
    );
  });

  it('resolves an alert with a resolution note', async () => {
    const api = alertsApi({
      resolveAlert: jest
        .fn()
        .mockResolvedValue(securityAlert({ status: 'resolved' })),
    });
    await renderTab(api);
    const dialog = await openDialog(
      'Resolve Credential stuffing against customer logins',
    );
    expect(dialog).toHaveTextContent(
      'its banner leaves the pages of the affected entity',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    );
    expect(
      within(dialog).getByText(
        'Say what was done, or why the alert no longer applies',
      ),
    ).toBeInTheDocument();
    expect(api.resolveAlert).not.toHaveBeenCalled();

    await fill(
      within(dialog).getByLabelText(/^Resolution/),
      'Botnet blocked at the edge',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    );
    await waitFor(() =>
      expect(api.resolveAlert).toHaveBeenCalledWith({
        id: 'alert-1',
        resolution: 'Botnet blocked at the edge',
      }),
    );
  });
});
