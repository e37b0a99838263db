import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { securityCampaignManagePermission } from '@open-itsm/plugin-security-management-common';
import { campaign, campaignsApi } from '../__testUtils__/campaigns';
import {
  mockSecurityApi,
  renderWithApis,
  responseError,
  tlsControl,
} from '../__testUtils__/fixtures';
import { openDialog } from '../__testUtils__/surfaces';
import { SecurityDataProvider } from '../lib/data';
import { CampaignsTab } from './CampaignsTab';

jest.setTimeout(60_000);

const MANAGE = securityCampaignManagePermission.name;

async function fill(field: HTMLElement, value: string) {
  await userEvent.click(field);
  await userEvent.paste(value);
}

function renderTab(api: ReturnType<typeof mockSecurityApi>) {
  return renderWithApis(
    <SecurityDataProvider>
      <CampaignsTab />
    </SecurityDataProvider>,
    { api, allow: [MANAGE] },
  );
}

describe('CampaignsTab', () => {
  it('says when there is no campaign, and when campaigns cannot be loaded', async () => {
    const empty = mockSecurityApi({
      listCampaigns: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    });
    const { unmount } = await renderTab(empty);
    expect(await screen.findByText('No active campaign.')).toBeInTheDocument();
    unmount();

    const failing = mockSecurityApi({
      listCampaigns: jest
        .fn()
        .mockRejectedValue(
          await responseError({ status: 500, name: 'Error', message: 'boom' }),
        ),
    });
    await renderTab(failing);
    expect(
      await screen.findByText(/Could not view campaigns/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('shows overall progress, then the progress per owner when opened', async () => {
    const api = campaignsApi();
    await renderTab(api);
    expect(await screen.findByText('TLS everywhere')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'TLS everywhere: 40% done' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('4 of 10 done (40%) · 1 by exception · 8 entities'),
    ).toBeInTheDocument();
    expect(api.getCampaign).not.toHaveBeenCalled();

    await userEvent.click(screen.getByText('TLS everywhere'));
    expect(await screen.findByText('Progress by owner')).toBeInTheDocument();
    expect(api.getCampaign).toHaveBeenCalledWith({ id: 'campaign-1' });
    expect(screen.getByText('payments-team')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'group:default/payments-team in TLS everywhere: 16% done',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Scope: 12 entities matching kind=component, spec.lifecycle=production',
      ),
    ).toBeInTheDocument();
  });

  it('lists archived campaigns with their result', async () => {
    await renderTab(campaignsApi());
    await screen.findByText('TLS everywhere');
    await userEvent.click(screen.getByRole('button', { name: 'Archived' }));
    expect(await screen.findByText('MFA for admins')).toBeInTheDocument();
    expect(screen.getByText('Missed')).toBeInTheDocument();
    expect(screen.queryByText('TLS everywhere')).not.toBeInTheDocument();
  });

  it('closes an active campaign', async () => {
    const api = campaignsApi({
      closeCampaign: jest
        .fn()
        .mockResolvedValue(campaign({ status: 'archived' })),
    });
    await renderTab(api);
    await userEvent.click(await screen.findByText('TLS everywhere'));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Close TLS everywhere' }),
    );
    await waitFor(() =>
      expect(api.closeCampaign).toHaveBeenCalledWith({ id: 'campaign-1' }),
    );
  });

  it('starts a campaign: the contract checks the request first, each problem at its field', async () => {
    const api = campaignsApi({
      listControls: jest.fn().mockResolvedValue({
        items: [
          {
            ...tlsControl,
            applicableCount: 8,
            counts: {
              passing: 4,
              failing: 1,
              overdue: 1,
              untested: 2,
              excepted: 0,
            },
          },
        ],
      }),
      startCampaign: jest.fn().mockResolvedValue(campaign()),
    });
    await renderTab(api);
    await screen.findByText('TLS everywhere');
    const dialog = await openDialog('Start campaign');
    const submit = () =>
      userEvent.click(
        within(dialog).getByRole('button', { name: 'Start campaign' }),
      );
    await submit();
    expect(within(dialog).getByText('Give the campaign a name')).toBeVisible();
    expect(
      within(dialog).getByText('Say what the campaign should achieve'),
    ).toBeVisible();
    expect(
      within(dialog).getByText('Choose controls, or name advisories below'),
    ).toBeVisible();
    expect(
      within(dialog).getByText('Name entities, or fill in the filter below'),
    ).toBeVisible();
    expect(within(dialog).getByText('Choose the deadline')).toBeVisible();
    expect(api.startCampaign).not.toHaveBeenCalled();

    await fill(within(dialog).getByLabelText(/^Name/), 'TLS everywhere');
    await fill(within(dialog).getByLabelText(/^Goal/), 'Prove TLS');
    await userEvent.click(
      await within(dialog).findByLabelText(`${tlsControl.title} (8)`),
    );
    await fill(within(dialog).getByLabelText('Kind'), 'component');
    await fill(within(dialog).getByLabelText('Lifecycle'), 'production');
    await userEvent.type(
      within(dialog).getByLabelText(/^Deadline/),
      '2099-06-30',
    );
    await submit();
    await waitFor(() =>
      expect(api.startCampaign).toHaveBeenCalledWith({
        name: 'TLS everywhere',
        goal: 'Prove TLS',
        controlRefs: [tlsControl.ref],
        advisoryIds: undefined,
        entityRefs: undefined,
        filter: { kind: 'component', 'spec.lifecycle': 'production' },
        deadline: expect.stringMatching(/^2099-06-3/),
      }),
    );
  });
});
