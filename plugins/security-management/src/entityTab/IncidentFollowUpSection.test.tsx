import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RemediationActionListItem } from '@open-itsm/plugin-security-management-common';
import {
  fromNow,
  mockSecurityApi,
  pending,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { forbidden } from '../__testUtils__/surfaces';
import { SecurityDataProvider } from '../lib/data';
import { IncidentFollowUpSection } from './IncidentFollowUpSection';

const SHOP = 'component:default/shop';

function action(
  overrides: Partial<RemediationActionListItem> = {},
): RemediationActionListItem {
  return {
    id: 'a1',
    incidentId: 'inc-1',
    incidentTitle: 'Leaked API key',
    title: 'Add secret scanning',
    owner: 'group:default/team-a',
    dueAt: fromNow({ days: -2 }),
    status: 'open',
    updatedAt: fromNow({ days: -5 }),
    updatedBy: 'user:default/alice',
    ...overrides,
  };
}

function render(api: ReturnType<typeof mockSecurityApi>) {
  return renderWithApis(
    <SecurityDataProvider>
      <IncidentFollowUpSection entityRef={SHOP} />
    </SecurityDataProvider>,
    { api },
  );
}

describe('IncidentFollowUpSection', () => {
  it('lists the retests with their incidents and the actions, overdue ones marked', async () => {
    const api = mockSecurityApi({
      listRequiredRetests: jest.fn().mockResolvedValue({
        items: [
          {
            entityRef: SHOP,
            controlRef: 'securitycontrol:default/tls',
            incidents: [
              { id: 'inc-1', title: 'Leaked API key', status: 'closed' },
            ],
          },
        ],
      }),
      listRemediationActions: jest.fn().mockResolvedValue({
        items: [
          action(),
          action({
            id: 'a2',
            title: 'Rotate keys',
            dueAt: fromNow({ days: 10 }),
            status: 'in-progress',
          }),
        ],
        totalCount: 2,
      }),
    });
    await render(api);
    expect(
      await screen.findByText(/after: Leaked API key/),
    ).toBeInTheDocument();
    expect(api.listRequiredRetests).toHaveBeenCalledWith({ entityRef: SHOP });
    expect(api.listRemediationActions).toHaveBeenCalledWith({
      entityRef: SHOP,
      limit: 100,
    });
    expect(await screen.findByText('Add secret scanning')).toBeInTheDocument();
    expect(screen.getByText('Overdue · Open')).toBeInTheDocument();
    expect(screen.getAllByText(/Overdue/)).toHaveLength(1);
    expect(screen.getByLabelText('Status of Rotate keys')).toHaveValue(
      'in-progress',
    );
  });

  it('changes an action status and reloads', async () => {
    const updateRemediationAction = jest
      .fn()
      .mockResolvedValue(action({ status: 'done' }));
    const listRemediationActions = jest
      .fn()
      .mockResolvedValueOnce({ items: [action()], totalCount: 1 })
      .mockResolvedValue({
        items: [action({ status: 'done' })],
        totalCount: 1,
      });
    await render(
      mockSecurityApi({
        listRequiredRetests: jest.fn().mockResolvedValue({ items: [] }),
        listRemediationActions,
        updateRemediationAction,
      }),
    );
    await userEvent.selectOptions(
      await screen.findByLabelText('Status of Add secret scanning'),
      'done',
    );
    expect(updateRemediationAction).toHaveBeenCalledWith({
      id: 'a1',
      status: 'done',
    });
    await waitFor(() => expect(screen.queryByText(/Overdue/)).toBeNull());
    expect(listRemediationActions).toHaveBeenCalledTimes(2);
    expect(screen.getByLabelText('Status of Add secret scanning')).toHaveValue(
      'done',
    );
  });

  it('says so when there is nothing to follow up', async () => {
    await render(
      mockSecurityApi({
        listRequiredRetests: jest.fn().mockResolvedValue({ items: [] }),
        listRemediationActions: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
      }),
    );
    expect(
      await screen.findByText(/No control of this entity needs a retest/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No remediation action of an incident/),
    ).toBeInTheDocument();
  });

  it('shows a notice instead of the actions to a reader of no incident, and a progress bar while loading', async () => {
    const listRemediationActions = jest
      .fn()
      .mockImplementation(() => forbidden().then(e => Promise.reject(e)));
    await render(
      mockSecurityApi({
        listRequiredRetests: jest.fn().mockReturnValue(pending()),
        listRemediationActions,
      }),
    );
    expect(
      await screen.findByText(
        'You do not have permission to view remediation actions.',
      ),
    ).toBeInTheDocument();
    const card = screen.getByText('Retests required').parentElement!;
    expect(await within(card).findByRole('progressbar')).toBeInTheDocument();
  });
});
