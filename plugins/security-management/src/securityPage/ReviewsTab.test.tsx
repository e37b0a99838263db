import { screen, waitFor, within } from '@testing-library/react';
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
        listReviewConditions: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
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

    const condition = {
      reviewId: 'rev-1',
      entityRef: 'component:default/shop',
      position: 1,
      text: 'Rotate the API keys',
      status: 'open' as const,
    };

    function conditionsApi() {
      return mockSecurityApi({
        getSchedule: jest.fn().mockResolvedValue({
          from: fromNow({}),
          to: fromNow({ days: 30 }),
          tests: [],
          reviews: [],
        }),
        listReviewConditions: jest
          .fn()
          .mockResolvedValueOnce({ items: [condition], totalCount: 1 })
          .mockResolvedValue({ items: [], totalCount: 0 }),
        updateReviewCondition: jest
          .fn()
          .mockResolvedValue({ ...condition, status: 'met' }),
      });
    }

    it('lists open review conditions until one is marked met', async () => {
      const api = conditionsApi();
      await renderSecurityPage(api, '/reviews');
      expect(
        await screen.findByText('Open review conditions (1)'),
      ).toBeInTheDocument();
      expect(api.listReviewConditions).toHaveBeenCalledWith({
        status: ['open'],
        limit: 200,
      });
      const row = screen.getByLabelText('Condition: Rotate the API keys');
      await userEvent.click(within(row).getByRole('button', { name: 'Met' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.type(
        within(dialog).getByLabelText(/Note/),
        'Rotated on Monday',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Mark met' }),
      );
      await waitFor(() =>
        expect(api.updateReviewCondition).toHaveBeenCalledWith({
          reviewId: 'rev-1',
          position: 1,
          status: 'met',
          note: 'Rotated on Monday',
        }),
      );
      expect(
        await screen.findByText(
          'Every condition of every review is met or waived.',
        ),
      ).toBeInTheDocument();
    });

    it('waives a condition only with a note', async () => {
      const api = conditionsApi();
      await renderSecurityPage(api, '/reviews');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Waive' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Waive' }),
      );
      expect(
        within(dialog).getByText('Say why the condition is waived'),
      ).toBeInTheDocument();
      expect(api.updateReviewCondition).not.toHaveBeenCalled();
    });
  });
});
