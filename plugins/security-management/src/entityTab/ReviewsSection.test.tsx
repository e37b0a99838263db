import { screen, within } from '@testing-library/react';
import { SecurityReview } from '@open-itsm/plugin-security-management-common';
import {
  fromNow,
  mockSecurityApi,
  posture,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { PostureSummary } from '../components/PostureSummary';
import { ReviewsSection } from './ReviewsSection';

const SHOP = 'component:default/shop';

function review(overrides: Partial<SecurityReview> = {}): SecurityReview {
  return {
    id: 'rev-1',
    entityRef: SHOP,
    reviewer: 'user:default/ciso',
    outcome: 'approved-with-conditions',
    findings: 'Weak ciphers',
    conditions: ['Drop TLS 1.1', 'Rotate the API keys'],
    trackedConditions: [
      {
        reviewId: 'rev-1',
        entityRef: SHOP,
        position: 0,
        text: 'Drop TLS 1.1',
        status: 'met',
        metAt: fromNow({ days: -1 }),
        metBy: 'user:default/jane',
        note: 'Disabled in the gateway',
      },
      {
        reviewId: 'rev-1',
        entityRef: SHOP,
        position: 1,
        text: 'Rotate the API keys',
        status: 'open',
      },
    ],
    reviewedAt: fromNow({ days: -10 }),
    nextDueAt: fromNow({ days: 80 }),
    ...overrides,
  };
}

describe('ReviewsSection', () => {
  it('shows how many conditions are open and who met the others', async () => {
    await renderWithApis(<ReviewsSection entityRef={SHOP} />, {
      api: mockSecurityApi({
        listReviews: jest
          .fn()
          .mockResolvedValue({ items: [review()], totalCount: 1 }),
      }),
      allow: ['security-management.review.create'],
    });
    expect(
      await screen.findByText('Approved with conditions: 1 open'),
    ).toBeInTheDocument();
    const met = screen.getByLabelText('Condition: Drop TLS 1.1');
    expect(within(met).getByRole('link', { name: /jane/ })).toBeInTheDocument();
    expect(
      within(met).getByText(/Disabled in the gateway/),
    ).toBeInTheDocument();
    expect(within(met).queryByRole('button')).toBeNull();
    const open = screen.getByLabelText('Condition: Rotate the API keys');
    expect(
      within(open).getByRole('button', { name: 'Met' }),
    ).toBeInTheDocument();
  });
});

describe('PostureSummary', () => {
  it('says how many conditions of the latest review are open', async () => {
    const base = posture();
    await renderWithApis(
      <PostureSummary
        posture={{
          ...base,
          review: {
            ...base.review,
            lastOutcome: 'approved-with-conditions',
            openConditions: 2,
          },
        }}
      />,
      { api: mockSecurityApi() },
    );
    expect(
      screen.getByText('Approved with conditions: 2 open'),
    ).toBeInTheDocument();
  });
});
