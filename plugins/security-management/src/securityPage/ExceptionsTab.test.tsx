import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockSecurityApi, securityException } from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
  describe('Exceptions', () => {
    it('lists pending and expiring exceptions and approves one', async () => {
      const api = mockSecurityApi({
        listExceptions: jest.fn(async query =>
          query?.status?.[0] === 'requested'
            ? { items: [securityException()], totalCount: 1 }
            : {
                items: [
                  securityException({
                    id: 'exc-2',
                    status: 'approved',
                    justification: 'Vendor fix due next week',
                  }),
                ],
                totalCount: 1,
              },
        ),
        approveException: jest.fn().mockResolvedValue(securityException()),
      });
      await renderSecurityPage(api, '/exceptions');
      expect(
        await screen.findByText('Legacy admin console is being retired'),
      ).toBeInTheDocument();
      expect(
        await screen.findByText('Vendor fix due next week'),
      ).toBeInTheDocument();
      const expiring = api.listExceptions.mock.calls.find(
        ([q]) => q?.status?.[0] === 'approved',
      )![0]!;
      expect(new Date(expiring.expiresBefore!).getTime()).toBeGreaterThan(
        Date.now() + 29 * 24 * 3600 * 1000,
      );

      await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Approve' }),
      );
      await waitFor(() =>
        expect(api.approveException).toHaveBeenCalledWith({
          id: 'exc-1',
          note: undefined,
        }),
      );
      await waitFor(() => expect(api.listExceptions).toHaveBeenCalledTimes(4));
    });

    it('shows who decided an exception, when and why', async () => {
      const decidedAt = new Date(Date.now() - 3 * 24 * 3600 * 1000);
      const api = mockSecurityApi({
        listExceptions: jest.fn(async query =>
          query?.status?.[0] === 'requested'
            ? { items: [], totalCount: 0 }
            : {
                items: [
                  securityException({
                    status: 'approved',
                    decidedBy: 'user:default/carol',
                    decidedAt: decidedAt.toISOString(),
                    decisionNote: 'Accepted until the console is gone',
                  }),
                ],
                totalCount: 1,
              },
        ),
      });
      await renderSecurityPage(api, '/exceptions');
      expect(
        await screen.findByRole('link', { name: /carol/ }),
      ).toBeInTheDocument();
      expect(screen.getByRole('link', { name: /bob/ })).toBeInTheDocument();
      expect(screen.getByText(/3 days ago/)).toBeInTheDocument();
      expect(
        screen.getByText('Accepted until the console is gone'),
      ).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    });
  });
});
