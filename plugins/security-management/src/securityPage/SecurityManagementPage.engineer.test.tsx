import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { forbidden } from '../__testUtils__/surfaces';
import { mockSecurityApi, posture } from '../__testUtils__/fixtures';
import { SecurityManagementTabs } from './SecurityManagementPage';

/*
 * A first visit by an engineer who is not a security manager: the example
 * policy lets them read posture but not the organisation-wide report.
 */
describe('SecurityManagementTabs for an engineer', () => {
  async function render(ownershipEntityRefs: string[], path = '/') {
    const api = mockSecurityApi({
      getReport: jest.fn().mockRejectedValue(forbidden()),
      getPostureRollup: jest.fn().mockRejectedValue(forbidden()),
      getSchedule: jest.fn(async query => ({
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-31T00:00:00.000Z',
        tests: [],
        reviews: [],
        query,
      })),
      listPosture: jest.fn(async ({ owner }) => ({
        items: [
          posture({
            entityRef: 'component:default/payments-api',
            title: `Service of ${owner}`,
          }),
        ],
        totalCount: 1,
      })),
    });
    // Awaited: renderInTestApp renders inside an async act(). Left running,
    // that act overlapped the test's own waiting, and a later test's state
    // updates went to an act queue nobody flushed (its page never loaded).
    const rendered = await renderInTestApp(
      <TestApiProvider
        apis={[
          [securityManagementApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
          [
            identityApiRef,
            mockApis.identity({
              userEntityRef: 'user:default/jo',
              ownershipEntityRefs,
            }),
          ],
        ]}
      >
        <SecurityManagementTabs />
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        routeEntries: [path],
      },
    );
    return { api, rendered };
  }

  it("shows their own teams' posture instead of the report they may not read", async () => {
    const { api } = await render([
      'user:default/jo',
      'group:default/payments-team',
      'group:default/platform-team',
    ]);
    expect(
      await screen.findByText('Service of group:default/payments-team'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Service of group:default/platform-team'),
    ).toBeInTheDocument();
    expect(api.listPosture).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/payments-team' }),
    );
    expect(api.getReport).not.toHaveBeenCalled();
    expect(api.getPostureRollup).not.toHaveBeenCalled();
    expect(screen.queryByText(/not allowed|permission/i)).toBeNull();
  });

  it('offers no Report tab that would only say no', async () => {
    await render(['user:default/jo', 'group:default/payments-team']);
    // The overview for those who may not read the report: the permission
    // has been answered, and the tabs with it. (The team's table itself is
    // the test above's; waiting for it here only made this one slower.)
    expect(
      await screen.findByText(/The posture of what your teams own/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Testing schedule' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Overview' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Report' })).toBeNull();
  });

  it('says so plainly when they belong to no team', async () => {
    const { api } = await render(['user:default/jo']);
    expect(await screen.findByText('Your teams')).toBeInTheDocument();
    expect(screen.getByText(/not a member of any team/)).toBeInTheDocument();
    expect(api.listPosture).not.toHaveBeenCalled();
  });

  it("starts the testing schedule on their own team's tests", async () => {
    const { api } = await render(
      ['user:default/jo', 'group:default/payments-team'],
      '/schedule',
    );
    expect(
      await screen.findByText(/No test is due in this range/),
    ).toBeInTheDocument();
    expect(api.getSchedule).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/payments-team' }),
    );
    expect(screen.getByLabelText('Owner')).toHaveValue(
      'group:default/payments-team',
    );
  });
});
