import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ControlsNotInEffect } from '@open-itsm/plugin-security-management-common';
import {
  mockSecurityApi,
  MockSecurityApi,
  renderWithApis,
  responseError,
  tlsControl,
} from '../__testUtils__/fixtures';
import { renderSecurityPage } from '../__testUtils__/surfaces';
import { SecurityManagementTabs } from './SecurityManagementPage';

const REPORT_READ = 'security-management.report.read';

const notInEffect: ControlsNotInEffect = {
  items: [
    {
      ref: 'securitycontrol:default/broken-example-control',
      name: 'Broken example control',
      failure: 'invalid-definition',
      reason:
        "spec.testing.cadence '90 days' is not a positive ISO-8601 duration such as P90D",
      location: 'file:/repo/examples/broken-control.yaml',
      originLocation: 'file:/repo/examples/broken-control.yaml',
      source: 'catalog-entity',
    },
    {
      ref: 'location:default/generated-1',
      name: '/repo/examples/broken-yaml.yaml',
      failure: 'unreadable-location',
      reason:
        'YAML error at file:/repo/examples/broken-yaml.yaml, YAMLParseError: Flow map must end with a } at line 4, column 1',
      location: 'file:/repo/examples/broken-yaml.yaml',
      source: 'catalog-event',
      reportedAt: '2026-06-01T10:00:00.000Z',
    },
    {
      ref: 'securitycontrol:default/encrypt-data-in-transit',
      name: 'Encrypt data in transit (copy)',
      failure: 'conflict',
      reason:
        'securitycontrol:default/encrypt-data-in-transit is also defined in file:/repo/examples/controls.yaml, which the catalog read first and keeps; this definition is ignored',
      location: 'file:/repo/examples/controls-not-in-effect.yaml',
      conflictingLocation: 'file:/repo/examples/controls.yaml',
      source: 'catalog-event',
      reportedAt: '2026-06-01T10:00:00.000Z',
    },
  ],
};

/** The control library as someone who may (or may not) read reports. */
function renderLibrary(api: MockSecurityApi, allow: string[] = [REPORT_READ]) {
  return renderWithApis(<SecurityManagementTabs />, {
    api,
    allow,
    routeEntries: ['/controls'],
  });
}

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

    it('shows how many controls are not in effect, each with its reason and source location', async () => {
      await renderLibrary(
        mockSecurityApi({
          listControls: jest.fn().mockResolvedValue({ items: [] }),
          listControlsNotInEffect: jest.fn().mockResolvedValue(notInEffect),
        }),
      );
      expect(
        await screen.findByText('3 controls not in effect'),
      ).toBeInTheDocument();
      const list = screen.getByRole('list', {
        name: 'Controls not in effect',
      });
      const items = within(list).getAllByRole('listitem');
      expect(items).toHaveLength(3);

      const [broken, unreadable, conflict] = items;
      expect(
        within(broken).getByRole('link', { name: 'Broken example control' }),
      ).toBeInTheDocument();
      expect(broken).toHaveTextContent('Invalid definition');
      expect(broken).toHaveTextContent(
        "spec.testing.cadence '90 days' is not a positive ISO-8601 duration",
      );
      expect(broken).toHaveTextContent(
        'Source: file:/repo/examples/broken-control.yaml',
      );

      expect(unreadable).toHaveTextContent('Location could not be read');
      expect(unreadable).toHaveTextContent('YAML error at');
      expect(unreadable).toHaveTextContent(
        'No control in this location is in effect.',
      );
      expect(unreadable).toHaveTextContent('Reported by the catalog');
      // Not in the catalog: nothing to link to.
      expect(within(unreadable).queryByRole('link')).toBeNull();

      expect(conflict).toHaveTextContent('Duplicate name');
      expect(conflict).toHaveTextContent(
        'Source: file:/repo/examples/controls-not-in-effect.yaml',
      );
      expect(conflict).toHaveTextContent(
        'Kept instead: file:/repo/examples/controls.yaml',
      );
    });

    it('says when every control is in effect', async () => {
      await renderLibrary(
        mockSecurityApi({
          listControls: jest.fn().mockResolvedValue({ items: [] }),
          listControlsNotInEffect: jest.fn().mockResolvedValue({ items: [] }),
        }),
      );
      expect(
        await screen.findByText(/Every control in the catalog is in effect/),
      ).toBeInTheDocument();
    });

    it('offers a retry when the controls not in effect cannot be read', async () => {
      const listControlsNotInEffect = jest
        .fn()
        .mockRejectedValueOnce(
          await responseError({
            status: 500,
            name: 'Error',
            message: 'catalog unavailable',
          }),
        )
        .mockResolvedValue(notInEffect);
      await renderLibrary(
        mockSecurityApi({
          listControls: jest.fn().mockResolvedValue({ items: [] }),
          listControlsNotInEffect,
        }),
      );
      expect(
        await screen.findByText(/Could not view the controls not in effect/),
      ).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
      expect(
        await screen.findByText('3 controls not in effect'),
      ).toBeInTheDocument();
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
