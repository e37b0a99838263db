import { screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { ControlLibraryTab } from './ControlLibraryTab';

// Its own file: usePermission caches decisions for the whole module.
describe('the controls not in effect without report.read', () => {
  it('are left out of the control library, and not asked for', async () => {
    const listControlsNotInEffect = jest.fn().mockResolvedValue({ items: [] });
    const { decide } = await renderWithApis(<ControlLibraryTab />, {
      api: mockSecurityApi({
        listControls: jest.fn().mockResolvedValue({ items: [] }),
        listControlsNotInEffect,
      }),
      allow: ['security-management.posture.read'],
    });
    expect(
      await screen.findByText(/No SecurityControl is registered yet/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(askedPermissions(decide)).toContain(
        'security-management.report.read',
      ),
    );
    expect(screen.queryByText(/in effect/)).toBeNull();
    expect(listControlsNotInEffect).not.toHaveBeenCalled();
  });
});
