import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fromNow,
  mockSecurityApi,
  responseError,
} from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
  describe('Reviews due', () => {
    it('lists reviews due and records one', async () => {
      const api = mockSecurityApi({
        getSchedule: jest.fn().mockResolvedValue({
          from: fromNow({}),
          to: fromNow({ days: 30 }),
          tests: [],
          reviews: [
            {
              entityRef: 'component:default/shop',
              entityTitle: 'Shop',
              riskTier: 1,
              state: 'never-reviewed',
            },
          ],
        }),
        createReview: jest.fn().mockRejectedValue(
          await responseError({
            status: 400,
            name: 'InputError',
            message: 'nextDueAt must be after reviewedAt',
          }),
        ),
      });
      await renderSecurityPage(api, '/reviews');
      expect(
        await screen.findByText('Never reviewed', { selector: 'td' }),
      ).toBeInTheDocument();

      await userEvent.click(
        screen.getByRole('button', { name: 'Record review' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Outcome/),
        'approved',
      );
      await userEvent.type(within(dialog).getByLabelText(/Findings/), 'Fine');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Record review' }),
      );
      expect(
        await within(dialog).findByText('nextDueAt must be after reviewedAt'),
      ).toBeInTheDocument();
      expect(api.createReview).toHaveBeenCalledWith(
        expect.objectContaining({ entityRef: 'component:default/shop' }),
      );
    });
  });
});
