import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PostureChanges,
  PostureTrend,
  TrendPoint,
} from '@open-itsm/plugin-security-management-common';
import {
  mockSecurityApi,
  noChanges,
  pending,
  renderWithApis,
  responseError,
} from '../__testUtils__/fixtures';
import { SecurityDataProvider } from '../lib/data';
import { EntityTrendSection } from './EntityTrendSection';

const SHOP = 'component:default/shop';

function point(day: string, score: number, failing = 0): TrendPoint {
  return {
    day,
    source: day < '2026-06-03' ? 'backfill' : 'snapshot',
    entityCount: 1,
    counts: {
      passing: 2,
      failing,
      overdue: 0,
      untested: 0,
      excepted: 0,
    },
    review: {
      current: 1,
      'due-soon': 0,
      'review-required': 0,
      overdue: 0,
      'never-reviewed': 0,
    },
    advisories: { active: 0, overdue: 0 },
    score,
    grade: score >= 90 ? 'A' : 'F',
  };
}

function trend(days: number, points: TrendPoint[]): PostureTrend {
  return {
    scope: { by: 'entity', key: SHOP },
    days,
    from: '2026-05-06',
    to: '2026-06-04',
    points,
  };
}

const changes: PostureChanges = {
  from: '2026-05-05T12:00:00.000Z',
  to: '2026-06-04T12:00:00.000Z',
  counts: { 'new-failure': 1, 'newly-overdue': 0, fixed: 2 },
  items: [
    {
      kind: 'new-failure',
      entityRef: SHOP,
      controlRef: 'securitycontrol:default/tls',
      controlTitle: 'Encrypt data in transit',
      before: 'passing',
      after: 'failing',
      at: '2026-06-03T09:00:00.000Z',
    },
  ],
  totalCount: 1,
};

function renderSection(api: ReturnType<typeof mockSecurityApi>) {
  return renderWithApis(
    <SecurityDataProvider>
      <EntityTrendSection entityRef={SHOP} />
    </SecurityDataProvider>,
    { api },
  );
}

describe('EntityTrendSection', () => {
  it('charts a point per day over several days and lists what changed', async () => {
    const api = mockSecurityApi({
      getEntityTrend: jest.fn(async ({ days }) =>
        trend(days, [
          point('2026-06-01', 100),
          point('2026-06-02', 100),
          point('2026-06-03', 50, 1),
          point('2026-06-04', 50, 1),
        ]),
      ),
      getEntityChanges: jest.fn().mockResolvedValue(changes),
    });
    await renderSection(api);

    const chart = await screen.findByRole('img', {
      name: 'Posture score of this entity over the last 30 days',
    });
    const points = within(chart).getAllByTestId('trend-point');
    expect(points.map(p => p.getAttribute('aria-label'))).toEqual([
      '2026-06-01: score 100, 0 failing, 0 overdue (from records)',
      '2026-06-02: score 100, 0 failing, 0 overdue (from records)',
      '2026-06-03: score 50, 1 failing, 0 overdue',
      '2026-06-04: score 50, 1 failing, 0 overdue',
    ]);
    // Later days lie further right.
    const xs = points.map(p => Number(p.getAttribute('cx')));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(screen.getByText('-50')).toBeInTheDocument();
    expect(screen.getByText('1 new failures')).toBeInTheDocument();
    expect(screen.getByText('2 fixed')).toBeInTheDocument();
    expect(screen.getByText('Encrypt data in transit')).toBeInTheDocument();
    expect(api.getEntityTrend).toHaveBeenCalledWith({
      entityRef: SHOP,
      days: 30,
    });
  });

  it('reads the chosen period again', async () => {
    const api = mockSecurityApi({
      getEntityTrend: jest.fn(async ({ days }) =>
        trend(days, [point('2026-06-04', 90)]),
      ),
      getEntityChanges: jest.fn().mockResolvedValue(noChanges()),
    });
    await renderSection(api);
    await screen.findByRole('img', { name: /over the last 30 days/ });
    await userEvent.click(screen.getByRole('button', { name: '365 days' }));
    expect(
      await screen.findByRole('img', { name: /over the last 365 days/ }),
    ).toBeInTheDocument();
    expect(api.getEntityTrend).toHaveBeenLastCalledWith({
      entityRef: SHOP,
      days: 365,
    });
    expect(api.getEntityChanges).toHaveBeenLastCalledWith({
      entityRef: SHOP,
      days: 365,
    });
    expect(
      screen.getByText(
        'No control became failing, overdue or fixed in this period.',
      ),
    ).toBeInTheDocument();
  });

  it('says when there is no history yet', async () => {
    await renderSection(
      mockSecurityApi({
        getEntityTrend: jest.fn().mockResolvedValue(trend(30, [])),
        getEntityChanges: jest.fn().mockResolvedValue(noChanges()),
      }),
    );
    expect(
      await screen.findByText(
        /No history for this entity in the last 30 days yet/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('shows progress while loading, then an error with Retry', async () => {
    const getEntityTrend = jest
      .fn()
      .mockReturnValueOnce(pending())
      .mockRejectedValueOnce(
        await responseError({
          status: 500,
          name: 'Error',
          message: 'database is down',
        }),
      )
      .mockResolvedValue(trend(30, [point('2026-06-04', 90)]));
    const api = mockSecurityApi({
      getEntityTrend,
      getEntityChanges: jest.fn().mockResolvedValue(noChanges()),
    });
    await renderSection(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(
      await screen.findByText(/Could not view the posture trend/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(screen.getAllByTestId('trend-point')).toHaveLength(1),
    );
  });

  it('says so when the caller may not read posture', async () => {
    await renderSection(
      mockSecurityApi({
        getEntityTrend: jest.fn().mockRejectedValue(
          await responseError({
            status: 403,
            name: 'NotAllowedError',
            message: 'Not allowed',
          }),
        ),
        getEntityChanges: jest.fn().mockResolvedValue(noChanges()),
      }),
    );
    expect(
      await screen.findByText(
        'You do not have permission to view the posture trend.',
      ),
    ).toBeInTheDocument();
  });
});
