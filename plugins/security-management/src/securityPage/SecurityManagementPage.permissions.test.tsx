import { screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  fromNow,
  incident,
  mockSecurityApi,
  renderWithApis,
  securityException,
} from '../__testUtils__/fixtures';
import { SecurityManagementPage } from './SecurityManagementPage';

// Its own file: usePermission caches decisions for the whole module, so
// each test visits a different tab.
describe('SecurityManagementPage without write permissions', () => {
  const api = mockSecurityApi({
    listIncidents: jest
      .fn()
      .mockResolvedValue({ items: [incident()], totalCount: 1 }),
    listExceptions: jest
      .fn()
      .mockResolvedValue({ items: [securityException()], totalCount: 1 }),
    getSchedule: jest.fn().mockResolvedValue({
      from: fromNow({}),
      to: fromNow({ days: 30 }),
      tests: [],
      reviews: [
        {
          entityRef: 'component:default/shop',
          riskTier: 2,
          state: 'never-reviewed',
        },
      ],
    }),
  });

  function render(path: string) {
    return renderWithApis(<SecurityManagementPage />, {
      api,
      allow: ['security-management.report.read'],
      routeEntries: [path],
    });
  }

  it('has a header and a tab for every part of the process', async () => {
    await render('/report');
    expect(
      screen.getByRole('heading', { name: 'Security management' }),
    ).toBeInTheDocument();
    for (const tab of [
      'Overview',
      'Testing schedule',
      'Incidents',
      'Reviews due',
      'Exceptions',
      'Control library',
      'Report',
    ]) {
      expect(screen.getByRole('tab', { name: tab })).toBeInTheDocument();
    }
  });

  it('does not offer to open or move incidents', async () => {
    const { decide } = await render('/incidents');
    expect(await screen.findByText('Leaked API key')).toBeInTheDocument();
    await waitFor(() =>
      expect(askedPermissions(decide)).toEqual(
        expect.arrayContaining([
          'security-management.incident.create',
          'security-management.incident.update',
        ]),
      ),
    );
    expect(screen.queryByRole('button', { name: 'Open incident' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Move to/ })).toBeNull();
  });

  it('does not offer to decide exceptions', async () => {
    const { decide } = await render('/exceptions');
    await waitFor(() =>
      expect(askedPermissions(decide)).toContain(
        'security-management.exception.decide',
      ),
    );
    expect(
      (await screen.findAllByText('Legacy admin console is being retired'))
        .length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('does not offer to record reviews', async () => {
    const { decide } = await render('/reviews');
    await waitFor(() =>
      expect(askedPermissions(decide)).toContain(
        'security-management.review.create',
      ),
    );
    expect(
      await screen.findByText('Never reviewed', { selector: 'td' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record review' })).toBeNull();
  });
});
