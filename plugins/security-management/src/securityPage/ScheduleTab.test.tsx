import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fromNow,
  mockSecurityApi,
  tlsControl,
} from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
  describe('Testing schedule', () => {
    const schedule = {
      from: fromNow({}),
      to: fromNow({ days: 30 }),
      tests: [
        {
          entityRef: 'component:default/shop',
          entityTitle: 'Shop',
          owner: 'group:default/payments',
          controlRef: tlsControl.ref,
          controlTitle: tlsControl.title,
          dueAt: fromNow({ days: -2 }),
          state: 'overdue' as const,
        },
      ],
      reviews: [],
    };

    it('lists due and overdue tests and filters them by owner', async () => {
      const api = mockSecurityApi({
        getSchedule: jest.fn().mockResolvedValue(schedule),
      });
      await renderSecurityPage(api, '/schedule');
      expect(
        await screen.findByRole('link', { name: tlsControl.title }),
      ).toBeInTheDocument();
      expect(screen.getByText('Overdue')).toBeInTheDocument();

      // The server's rule for a group ref: the kind may be left out, a
      // space may not be in a name.
      await userEvent.type(screen.getByLabelText('Owner'), 'payments team');
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      expect(
        screen.getByText('Enter a group ref such as group:default/payments'),
      ).toBeInTheDocument();
      expect(api.getSchedule).toHaveBeenCalledTimes(1);

      await userEvent.clear(screen.getByLabelText('Owner'));
      await userEvent.type(
        screen.getByLabelText('Owner'),
        'group:default/payments',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      await waitFor(() =>
        expect(api.getSchedule).toHaveBeenLastCalledWith(
          expect.objectContaining({ owner: 'group:default/payments' }),
        ),
      );
      const query = api.getSchedule.mock.calls[0][0]!;
      expect(new Date(query.to!).getTime()).toBeGreaterThan(
        new Date(query.from!).getTime(),
      );
    });

    it('says when nothing is due', async () => {
      await renderSecurityPage(
        mockSecurityApi({
          getSchedule: jest.fn().mockResolvedValue({ ...schedule, tests: [] }),
        }),
        '/schedule',
      );
      expect(
        await screen.findByText(
          'No test is due in this range, and none is overdue.',
        ),
      ).toBeInTheDocument();
    });
  });
});
