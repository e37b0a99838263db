import { screen, within } from '@testing-library/react';
import {
  EntityPosture,
  ReviewReason,
} from '@open-itsm/plugin-security-management-common';
import {
  emptyTrend,
  entityApi,
  fromNow,
  mockSecurityApi,
  noChanges,
  posture,
  renderWithApis,
  report,
  rollupItem,
  serviceEntity,
} from '../__testUtils__/fixtures';
import { renderEntityTab, renderSecurityPage } from '../__testUtils__/surfaces';
import { EntitySecurityPostureCard } from '../entityPostureCard';
import { ReviewsSection } from './ReviewsSection';

const reasons: ReviewReason[] = [
  {
    trigger: 'lifecycle-production',
    detail: 'lifecycle experimental → production',
    seenAt: '2026-05-30T10:00:00.000Z',
  },
  {
    trigger: 'owner-changed',
    detail: 'owner group:default/payments → group:default/checkout',
    seenAt: '2026-05-31T10:00:00.000Z',
  },
];

function requiredPosture(): EntityPosture {
  const base = posture();
  return {
    ...base,
    review: { ...base.review, status: 'review-required', reasons },
  };
}

function expectReasons(scope: HTMLElement) {
  const list = within(scope).getByRole('list', {
    name: 'Why a review is required',
  });
  const items = within(list).getAllByRole('listitem');
  expect(items).toHaveLength(2);
  expect(items[0]).toHaveTextContent(
    /^Lifecycle production: lifecycle experimental → production \(seen May 30, 2026\)$/,
  );
  expect(items[1]).toHaveTextContent(
    'Owner changed: owner group:default/payments → group:default/checkout',
  );
}

describe('a review required by a change', () => {
  it('shows the status and its reasons on the posture card', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(requiredPosture()),
    });
    const { container } = await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(
      await screen.findByText('Review required — due in 12 days'),
    ).toBeInTheDocument();
    expectReasons(container);
  });

  it('says why in the reviews section of the Security tab', async () => {
    const api = mockSecurityApi({
      listReviews: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    });
    await renderWithApis(
      <ReviewsSection entityRef="component:default/shop" reasons={reasons} />,
      { api },
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Review required: the catalog shows changes since the latest review.',
    );
    expectReasons(alert);
  });

  it('passes the posture reasons to the reviews section of the tab', async () => {
    await renderEntityTab(
      entityApi({
        getEntityPosture: jest.fn().mockResolvedValue(requiredPosture()),
      }),
    );
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('Review required');
    expectReasons(alert);
  });

  it('shows no reasons when the review is current', async () => {
    const api = mockSecurityApi({
      listReviews: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    });
    await renderWithApis(
      <ReviewsSection entityRef="component:default/shop" />,
      { api },
    );
    expect(
      await screen.findByText('This entity has never been reviewed.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Why a review is required' }),
    ).not.toBeInTheDocument();
  });

  it('lists it with its reasons among the reviews due', async () => {
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
            dueAt: fromNow({ days: 60 }),
            state: 'review-required',
            reasons,
          },
        ],
      }),
      listReviewConditions: jest
        .fn()
        .mockResolvedValue({ items: [], totalCount: 0 }),
    });
    await renderSecurityPage(api, '/reviews');
    const state = await screen.findByText('Review required', {
      selector: 'span',
    });
    const row = state.closest('tr')!;
    expect(row).toHaveTextContent('Shop');
    expectReasons(row);
  });

  it('counts reviews required on the security page overview', async () => {
    const base = report();
    const item = rollupItem('group:default/payments');
    await renderSecurityPage(
      mockSecurityApi({
        getReport: jest.fn().mockResolvedValue({
          ...base,
          summary: {
            ...base.summary,
            review: { ...base.summary.review, 'review-required': 3 },
          },
        }),
        getGroupTrend: jest.fn().mockResolvedValue(emptyTrend()),
        getGroupChanges: jest.fn().mockResolvedValue(noChanges()),
        getPostureRollup: jest.fn(async ({ by }) => ({
          by,
          items: [
            { ...item, review: { ...item.review, 'review-required': 2 } },
          ],
        })),
        listPosture: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
      }),
    );
    const labels = await screen.findAllByText('Reviews required');
    const figure = labels.find(element => !element.closest('table'))!;
    expect(figure.previousSibling).toHaveTextContent(/^3$/);
    const column = (await screen.findAllByText('Reviews required')).find(
      element => element.closest('th'),
    )!;
    const table = column.closest('table')!;
    const row = within(table)
      .getByRole('link', {
        name: /payments/,
      })
      .closest('tr')!;
    const index = Array.from(column.closest('tr')!.children).indexOf(
      column.closest('th')!,
    );
    expect(row.children[index]).toHaveTextContent(/^2$/);
  });
});
