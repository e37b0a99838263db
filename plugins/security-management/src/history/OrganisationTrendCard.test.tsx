import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TrendPoint } from '@open-itsm/plugin-security-management-common';
import {
  mockSecurityApi,
  noChanges,
  renderWithApis,
  rollupItem,
} from '../__testUtils__/fixtures';
import { SecurityDataProvider } from '../lib/data';
import { OrganisationTrendCard } from './OrganisationTrendCard';

function point(day: string, score: number, entityCount: number): TrendPoint {
  return {
    day,
    source: 'snapshot',
    entityCount,
    counts: { passing: 1, failing: 1, overdue: 0, untested: 0, excepted: 0 },
    review: {
      current: entityCount,
      'due-soon': 0,
      'review-required': 0,
      overdue: 0,
      'never-reviewed': 0,
    },
    advisories: { active: 0, overdue: 0 },
    score,
    grade: 'F',
  };
}

describe('OrganisationTrendCard', () => {
  it("charts the organisation, then an owner's trend chosen among the roll-up's groups", async () => {
    const api = mockSecurityApi({
      getGroupTrend: jest.fn(
        async ({ by = 'organisation', key, days = 30 }) => ({
          scope: { by, ...(key ? { key } : {}) },
          days,
          from: '2026-05-06',
          to: '2026-06-04',
          points:
            by === 'organisation'
              ? [
                  point('2026-06-02', 60, 40),
                  point('2026-06-03', 62, 40),
                  point('2026-06-04', 65, 41),
                ]
              : [point('2026-06-03', 80, 3), point('2026-06-04', 85, 3)],
        }),
      ),
      getGroupChanges: jest.fn().mockResolvedValue(noChanges()),
      getPostureRollup: jest.fn(async ({ by }) => ({
        by,
        items: [
          rollupItem('group:default/payments'),
          rollupItem('group:default/identity'),
          rollupItem(null),
        ],
      })),
    });
    await renderWithApis(
      <SecurityDataProvider>
        <OrganisationTrendCard />
      </SecurityDataProvider>,
      { api },
    );

    const chart = await screen.findByRole('img', {
      name: 'Posture score of the organisation over the last 30 days',
    });
    expect(within(chart).getAllByTestId('trend-point')).toHaveLength(3);
    expect(api.getGroupTrend).toHaveBeenCalledWith({ days: 30 });

    await userEvent.click(screen.getByRole('button', { name: 'Show' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'By owner' }),
    );
    const ownerChart = await screen.findByRole('img', {
      name: 'Posture score of group:default/payments over the last 30 days',
    });
    expect(within(ownerChart).getAllByTestId('trend-point')).toHaveLength(2);
    expect(api.getGroupTrend).toHaveBeenLastCalledWith({
      by: 'owner',
      key: 'group:default/payments',
      days: 30,
    });

    await userEvent.click(screen.getByRole('button', { name: 'Owner' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'group:default/identity' }),
    );
    await screen.findByRole('img', {
      name: 'Posture score of group:default/identity over the last 30 days',
    });
    expect(api.getGroupChanges).toHaveBeenLastCalledWith({
      by: 'owner',
      key: 'group:default/identity',
      days: 30,
    });
  });
});
