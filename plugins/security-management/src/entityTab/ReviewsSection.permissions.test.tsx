import { screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { ReviewsSection } from './ReviewsSection';

const SHOP = 'component:default/shop';

const review = {
  id: 'rev-1',
  entityRef: SHOP,
  reviewer: 'user:default/ciso',
  outcome: 'approved-with-conditions' as const,
  findings: 'Weak ciphers',
  conditions: ['Rotate the API keys'],
  trackedConditions: [
    {
      reviewId: 'rev-1',
      entityRef: SHOP,
      position: 0,
      text: 'Rotate the API keys',
      status: 'open' as const,
    },
  ],
  reviewedAt: '2026-01-01T00:00:00.000Z',
  nextDueAt: '2026-04-01T00:00:00.000Z',
};

// Its own file: usePermission caches decisions for the whole module.
describe('ReviewsSection without review.create', () => {
  it('offers no sign-off to a viewer who may not record reviews', async () => {
    const { decide } = await renderWithApis(
      <ReviewsSection entityRef={SHOP} />,
      {
        api: mockSecurityApi({
          listReviews: jest
            .fn()
            .mockResolvedValue({ items: [review], totalCount: 1 }),
        }),
      },
    );
    expect(
      await screen.findByText('Approved with conditions: 1 open'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(askedPermissions(decide)).toContain(
        'security-management.review.create',
      ),
    );
    expect(screen.queryByRole('button', { name: 'Met' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Waive' })).toBeNull();
  });
});
