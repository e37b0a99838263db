import { screen, waitFor } from '@testing-library/react';
import {
  askedPermissions,
  entityApi,
  renderWithApis,
  serviceEntity,
} from '../__testUtils__/fixtures';
import { EntitySecurityContent } from './EntitySecurityContent';

// Its own file: usePermission caches decisions for the whole module.
describe('EntitySecurityContent without write permissions', () => {
  it('hides every action the caller is not allowed to take', async () => {
    const { decide } = await renderWithApis(<EntitySecurityContent />, {
      api: entityApi(),
      allow: ['security-management.posture.read'],
      entity: serviceEntity,
    });
    await screen.findByText('Leaked API key');
    await screen.findByText('Legacy admin console is being retired');
    await waitFor(() =>
      expect(askedPermissions(decide)).toEqual(
        expect.arrayContaining([
          'security-management.test-record.create',
          'security-management.exception.request',
          'security-management.incident.create',
          'security-management.incident.update',
          'security-management.review.create',
          'security-management.exception.decide',
        ]),
      ),
    );
    for (const name of [
      'Record test',
      'Request exception',
      'Open incident',
      'Record review',
      'Move to Triaged',
      'Approve',
      'Reject',
    ]) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
  });
});
