import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PostureRollupItem } from '@open-itsm/plugin-security-management-common';
import {
  ApiOverrides,
  emptyTrend,
  mockSecurityApi,
  noChanges,
  pending,
  posture,
  report,
  rollupItem,
} from '../__testUtils__/fixtures';
import { forbidden, renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
  describe('Overview', () => {
    function overviewApi(overrides: ApiOverrides = {}) {
      return mockSecurityApi({
        getReport: jest.fn().mockResolvedValue(report()),
        getGroupTrend: jest.fn().mockResolvedValue(emptyTrend()),
        getGroupChanges: jest.fn().mockResolvedValue(noChanges()),
        getPostureRollup: jest.fn(async ({ by }) => ({
          by,
          items:
            by === 'owner'
              ? [rollupItem('group:default/payments'), rollupItem(null)]
              : [
                  rollupItem(
                    by === 'system'
                      ? 'system:default/checkout'
                      : 'domain:default/commerce',
                  ),
                ],
        })),
        listPosture: jest.fn().mockResolvedValue({
          items: [posture({ title: 'Shop' })],
          totalCount: 1,
        }),
        ...overrides,
      });
    }

    it('charts posture by grade and by status', async () => {
      await renderSecurityPage(overviewApi());
      const grades = await screen.findByRole('list', {
        name: 'Entities by grade',
      });
      expect(within(grades).getByLabelText('A: 2')).toBeInTheDocument();
      expect(within(grades).getByLabelText('F: 1')).toBeInTheDocument();
      expect(within(grades).getByLabelText('B: 0')).toBeInTheDocument();
      const statuses = screen.getByRole('list', { name: 'Controls by status' });
      expect(within(statuses).getByLabelText('Failing: 2')).toBeInTheDocument();
      expect(screen.getByText('71/100')).toBeInTheDocument();
      expect(screen.getByText('5.3 h')).toBeInTheDocument();
    });

    it('shows incident figures only when the report carries them', async () => {
      const full = report();
      const { openIncidents: _hidden, ...summary } = full.summary;
      const { incidents: _incidents, ...withoutIncidents } = full;
      const withoutCounts = ({
        openIncidents: _counts,
        ...item
      }: PostureRollupItem) => item;
      await renderSecurityPage(
        overviewApi({
          getReport: jest
            .fn()
            .mockResolvedValue({ ...withoutIncidents, summary }),
          getPostureRollup: jest.fn(async ({ by }) => ({
            by,
            items: [withoutCounts(rollupItem('group:default/payments'))],
          })),
        }),
      );
      expect(await screen.findByText('71/100')).toBeInTheDocument();
      expect(await screen.findAllByText('Reviews overdue')).toHaveLength(2);
      expect(
        await screen.findByRole('button', { name: 'Show entities' }),
      ).toBeInTheDocument();
      expect(screen.queryByText('Open incidents')).toBeNull();
      expect(screen.queryByText('Mean time to contain')).toBeNull();
    });

    it('rolls up by owner and drills down to the entities of a group', async () => {
      const api = overviewApi();
      await renderSecurityPage(api);
      expect(await screen.findByText('No owner')).toBeInTheDocument();
      expect(api.getPostureRollup).toHaveBeenCalledWith({ by: 'owner' });

      await userEvent.click(
        screen.getByRole('button', { name: 'Show entities' }),
      );

      expect(
        await screen.findByText('Entities of group:default/payments'),
      ).toBeInTheDocument();
      expect(screen.getByRole('link', { name: /Shop/ })).toBeInTheDocument();
      expect(api.listPosture).toHaveBeenCalledWith({
        owner: 'group:default/payments',
        system: undefined,
        domain: undefined,
        limit: 500,
      });
    });

    it('rolls up by system', async () => {
      const api = overviewApi();
      await renderSecurityPage(api);
      await userEvent.click(
        await screen.findByRole('tab', { name: 'By system' }),
      );
      await userEvent.click(
        await screen.findByRole('button', { name: 'Show entities' }),
      );
      await waitFor(() =>
        expect(api.listPosture).toHaveBeenCalledWith(
          expect.objectContaining({ system: 'system:default/checkout' }),
        ),
      );
    });

    it('rolls up by domain and drills down to the entities of a domain', async () => {
      const api = overviewApi();
      await renderSecurityPage(api);
      await userEvent.click(
        await screen.findByRole('tab', { name: 'By domain' }),
      );
      expect(
        await screen.findByRole('link', { name: /commerce/ }),
      ).toBeInTheDocument();
      expect(api.getPostureRollup).toHaveBeenCalledWith({ by: 'domain' });
      await userEvent.click(
        screen.getByRole('button', { name: 'Show entities' }),
      );
      expect(
        await screen.findByText('Entities of domain:default/commerce'),
      ).toBeInTheDocument();
      expect(api.listPosture).toHaveBeenCalledWith({
        owner: undefined,
        system: undefined,
        domain: 'domain:default/commerce',
        limit: 500,
      });
    });

    it('says so when the caller may not read the report', async () => {
      await renderSecurityPage(
        overviewApi({
          getReport: jest.fn().mockRejectedValue(await forbidden()),
        }),
      );
      expect(
        await screen.findByText(
          'You do not have permission to view the security report.',
        ),
      ).toBeInTheDocument();
    });

    it('retries the report after an error', async () => {
      const api = overviewApi({
        getReport: jest
          .fn()
          .mockRejectedValueOnce(new Error('Gateway timeout'))
          .mockResolvedValue(report()),
      });
      await renderSecurityPage(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Retry' }),
      );
      expect(
        await screen.findByRole('list', { name: 'Entities by grade' }),
      ).toBeInTheDocument();
      expect(api.getReport).toHaveBeenCalledTimes(2);
    });

    it('shows progress while loading', async () => {
      await renderSecurityPage(
        overviewApi({
          getReport: jest.fn(() => pending()),
          getPostureRollup: jest.fn(() => pending()),
        }),
      );
      expect(screen.getAllByTestId('progress').length).toBe(2);
    });
  });
});
