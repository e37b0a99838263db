import { screen } from '@testing-library/react';
import {
  fromNow,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { SecurityDataProvider } from '../lib/data';
import { ScheduledRemediationActions } from './ScheduledRemediationActions';

describe('ScheduledRemediationActions', () => {
  it("lists the owner's actions still to do by the end of the range", async () => {
    const listRemediationActions = jest.fn().mockResolvedValue({
      items: [
        {
          id: 'a1',
          incidentId: 'inc-1',
          incidentTitle: 'Leaked API key',
          title: 'Add secret scanning',
          owner: 'group:default/team-a',
          dueAt: fromNow({ days: -1 }),
          status: 'open',
          updatedAt: fromNow({ days: -3 }),
          updatedBy: 'user:default/alice',
        },
      ],
      totalCount: 1,
    });
    const to = fromNow({ days: 30 });
    await renderWithApis(
      <SecurityDataProvider>
        <ScheduledRemediationActions
          query={{ owner: 'group:default/team-a', to }}
        />
      </SecurityDataProvider>,
      { api: mockSecurityApi({ listRemediationActions }) },
    );
    expect(
      await screen.findByText('Remediation actions due'),
    ).toBeInTheDocument();
    expect(screen.getByText('Add secret scanning')).toBeInTheDocument();
    expect(screen.getByText('Leaked API key')).toBeInTheDocument();
    expect(screen.getByText('Overdue · Open')).toBeInTheDocument();
    expect(listRemediationActions).toHaveBeenCalledWith({
      owner: 'group:default/team-a',
      dueBefore: to,
      active: true,
      limit: 500,
    });
  });
});
