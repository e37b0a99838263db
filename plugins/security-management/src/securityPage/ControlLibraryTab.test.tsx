import { screen } from '@testing-library/react';
import { mockSecurityApi, tlsControl } from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
  describe('Control library', () => {
    it('lists controls with where they apply', async () => {
      await renderSecurityPage(
        mockSecurityApi({
          listControls: jest.fn().mockResolvedValue({
            items: [
              {
                ...tlsControl,
                applicableCount: 12,
                counts: {
                  passing: 10,
                  failing: 2,
                  overdue: 0,
                  untested: 0,
                  excepted: 0,
                },
              },
            ],
          }),
        }),
        '/controls',
      );
      expect(
        await screen.findByRole('link', { name: tlsControl.title }),
      ).toBeInTheDocument();
      expect(screen.getByText('12')).toBeInTheDocument();
      expect(screen.getByText('10 passing · 2 failing')).toBeInTheDocument();
      expect(screen.getByText('Automated, every 90 days')).toBeInTheDocument();
    });

    it('says when the library is empty', async () => {
      await renderSecurityPage(
        mockSecurityApi({
          listControls: jest.fn().mockResolvedValue({ items: [] }),
        }),
        '/controls',
      );
      expect(
        await screen.findByText(/No SecurityControl is registered yet/),
      ).toBeInTheDocument();
    });
  });
});
