import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ApiOverrides,
  fromNow,
  incident,
  mockSecurityApi,
  MockSecurityApi,
  pending,
  posture,
  renderWithApis,
  report,
  responseError,
  rollupItem,
  securityException,
  tlsControl,
} from '../../__testUtils__/fixtures';
import { SecurityManagementTabs } from './SecurityManagementPage';

const ALL_ACTIONS = [
  'security-management.incident.create',
  'security-management.incident.update',
  'security-management.review.create',
  'security-management.exception.decide',
];

function render(api: MockSecurityApi, path = '/') {
  return renderWithApis(<SecurityManagementTabs />, {
    api,
    allow: ALL_ACTIONS,
    routeEntries: [path],
  });
}

const forbidden = () =>
  responseError({
    status: 403,
    name: 'NotAllowedError',
    message: 'Unauthorized',
  });

describe('SecurityManagementTabs', () => {
  describe('Overview', () => {
    function overviewApi(overrides: ApiOverrides = {}) {
      return mockSecurityApi({
        getReport: jest.fn().mockResolvedValue(report()),
        getPostureRollup: jest.fn(async ({ by }) => ({
          by,
          items:
            by === 'owner'
              ? [rollupItem('group:default/payments'), rollupItem(null)]
              : [rollupItem('system:default/checkout')],
        })),
        listPosture: jest.fn().mockResolvedValue({
          items: [posture({ title: 'Shop' })],
          totalCount: 1,
        }),
        ...overrides,
      });
    }

    it('charts posture by grade and by status', async () => {
      await render(overviewApi());
      const grades = await screen.findByRole('list', {
        name: 'Entities by grade',
      });
      expect(within(grades).getByLabelText('A: 2')).toBeInTheDocument();
      expect(within(grades).getByLabelText('F: 1')).toBeInTheDocument();
      expect(within(grades).getByLabelText('B: 0')).toBeInTheDocument();
      const statuses = screen.getByRole('list', { name: 'Controls by status' });
      expect(within(statuses).getByLabelText('Failing: 2')).toBeInTheDocument();
      expect(screen.getByText('71/100')).toBeInTheDocument();
      expect(screen.getByText('5.3 h')).toBeInTheDocument();
    });

    it('rolls up by owner and drills down to the entities of a group', async () => {
      const api = overviewApi();
      await render(api);
      expect(await screen.findByText('No owner')).toBeInTheDocument();
      expect(api.getPostureRollup).toHaveBeenCalledWith({ by: 'owner' });

      await userEvent.click(
        screen.getByRole('button', { name: 'Show entities' }),
      );

      expect(
        await screen.findByText('Entities of group:default/payments'),
      ).toBeInTheDocument();
      expect(screen.getByRole('link', { name: /Shop/ })).toBeInTheDocument();
      expect(api.listPosture).toHaveBeenCalledWith({
        owner: 'group:default/payments',
        system: undefined,
        domain: undefined,
        limit: 500,
      });
    });

    it('rolls up by system', async () => {
      const api = overviewApi();
      await render(api);
      await userEvent.click(
        await screen.findByRole('tab', { name: 'By system' }),
      );
      await userEvent.click(
        await screen.findByRole('button', { name: 'Show entities' }),
      );
      await waitFor(() =>
        expect(api.listPosture).toHaveBeenCalledWith(
          expect.objectContaining({ system: 'system:default/checkout' }),
        ),
      );
    });

    it('says so when the caller may not read the report', async () => {
      await render(
        overviewApi({
          getReport: jest.fn().mockRejectedValue(await forbidden()),
        }),
      );
      expect(
        await screen.findByText(
          'You do not have permission to view the security report.',
        ),
      ).toBeInTheDocument();
    });

    it('retries the report after an error', async () => {
      const api = overviewApi({
        getReport: jest
          .fn()
          .mockRejectedValueOnce(new Error('Gateway timeout'))
          .mockResolvedValue(report()),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Retry' }),
      );
      expect(
        await screen.findByRole('list', { name: 'Entities by grade' }),
      ).toBeInTheDocument();
      expect(api.getReport).toHaveBeenCalledTimes(2);
    });

    it('shows progress while loading', async () => {
      await render(
        overviewApi({
          getReport: jest.fn(() => pending()),
          getPostureRollup: jest.fn(() => pending()),
        }),
      );
      expect(screen.getAllByTestId('progress').length).toBe(2);
    });
  });

  describe('Testing schedule', () => {
    const schedule = {
      from: fromNow({}),
      to: fromNow({ days: 30 }),
      tests: [
        {
          entityRef: 'component:default/shop',
          entityTitle: 'Shop',
          owner: 'group:default/payments',
          controlRef: tlsControl.ref,
          controlTitle: tlsControl.title,
          dueAt: fromNow({ days: -2 }),
          state: 'overdue' as const,
        },
      ],
      reviews: [],
    };

    it('lists due and overdue tests and filters them by owner', async () => {
      const api = mockSecurityApi({
        getSchedule: jest.fn().mockResolvedValue(schedule),
      });
      await render(api, '/schedule');
      expect(
        await screen.findByRole('link', { name: tlsControl.title }),
      ).toBeInTheDocument();
      expect(screen.getByText('Overdue')).toBeInTheDocument();

      await userEvent.type(screen.getByLabelText('Owner'), 'payments');
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      expect(
        screen.getByText('Enter a group ref such as group:default/payments'),
      ).toBeInTheDocument();
      expect(api.getSchedule).toHaveBeenCalledTimes(1);

      await userEvent.clear(screen.getByLabelText('Owner'));
      await userEvent.type(
        screen.getByLabelText('Owner'),
        'group:default/payments',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      await waitFor(() =>
        expect(api.getSchedule).toHaveBeenLastCalledWith(
          expect.objectContaining({ owner: 'group:default/payments' }),
        ),
      );
      const query = api.getSchedule.mock.calls[0][0]!;
      expect(new Date(query.to!).getTime()).toBeGreaterThan(
        new Date(query.from!).getTime(),
      );
    });

    it('says when nothing is due', async () => {
      await render(
        mockSecurityApi({
          getSchedule: jest.fn().mockResolvedValue({ ...schedule, tests: [] }),
        }),
        '/schedule',
      );
      expect(
        await screen.findByText(
          'No test is due in this range, and none is overdue.',
        ),
      ).toBeInTheDocument();
    });
  });

  describe('Incidents', () => {
    it('filters the register by status and severity', async () => {
      const api = mockSecurityApi({
        listIncidents: jest
          .fn()
          .mockResolvedValue({ items: [incident()], totalCount: 1 }),
      });
      await render(api, '/incidents');
      expect(await screen.findByText('Leaked API key')).toBeInTheDocument();

      await userEvent.click(
        within(screen.getByRole('group', { name: 'Status' })).getByRole(
          'button',
          { name: 'Triaged' },
        ),
      );
      await userEvent.click(
        within(screen.getByRole('group', { name: 'Severity' })).getByRole(
          'button',
          { name: 'Critical' },
        ),
      );
      await waitFor(() =>
        expect(api.listIncidents).toHaveBeenLastCalledWith({
          status: ['triaged'],
          severity: ['critical'],
          limit: 200,
        }),
      );
    });

    it('opens a new incident from the register', async () => {
      const api = mockSecurityApi({
        listIncidents: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
        createIncident: jest.fn().mockResolvedValue(incident()),
      });
      await render(api, '/incidents');
      expect(
        await screen.findByText('No incidents match these filters.'),
      ).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'Open incident' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.type(within(dialog).getByLabelText(/Title/), 'DDoS');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Severity/),
        'high',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Open incident' }),
      );
      expect(
        within(dialog).getByText('Name at least one entity'),
      ).toBeInTheDocument();
      await userEvent.type(
        within(dialog).getByLabelText(/Affected entities/),
        'component:default/shop, component:default/billing',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Open incident' }),
      );
      await waitFor(() =>
        expect(api.createIncident).toHaveBeenCalledWith(
          expect.objectContaining({
            title: 'DDoS',
            severity: 'high',
            affectedEntities: [
              'component:default/shop',
              'component:default/billing',
            ],
          }),
        ),
      );
      await waitFor(() => expect(api.listIncidents).toHaveBeenCalledTimes(2));
    });
  });

  describe('Reviews due', () => {
    it('lists reviews due and records one', async () => {
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
              state: 'never-reviewed',
            },
          ],
        }),
        createReview: jest.fn().mockRejectedValue(
          await responseError({
            status: 400,
            name: 'InputError',
            message: 'nextDueAt must be after reviewedAt',
          }),
        ),
      });
      await render(api, '/reviews');
      expect(
        await screen.findByText('Never reviewed', { selector: 'td' }),
      ).toBeInTheDocument();

      await userEvent.click(
        screen.getByRole('button', { name: 'Record review' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Outcome/),
        'approved',
      );
      await userEvent.type(within(dialog).getByLabelText(/Findings/), 'Fine');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Record review' }),
      );
      expect(
        await within(dialog).findByText('nextDueAt must be after reviewedAt'),
      ).toBeInTheDocument();
      expect(api.createReview).toHaveBeenCalledWith(
        expect.objectContaining({ entityRef: 'component:default/shop' }),
      );
    });
  });

  describe('Exceptions', () => {
    it('lists pending and expiring exceptions and approves one', async () => {
      const api = mockSecurityApi({
        listExceptions: jest.fn(async query =>
          query?.status?.[0] === 'requested'
            ? { items: [securityException()], totalCount: 1 }
            : {
                items: [
                  securityException({
                    id: 'exc-2',
                    status: 'approved',
                    justification: 'Vendor fix due next week',
                  }),
                ],
                totalCount: 1,
              },
        ),
        approveException: jest.fn().mockResolvedValue(securityException()),
      });
      await render(api, '/exceptions');
      expect(
        await screen.findByText('Legacy admin console is being retired'),
      ).toBeInTheDocument();
      expect(
        await screen.findByText('Vendor fix due next week'),
      ).toBeInTheDocument();
      const expiring = api.listExceptions.mock.calls.find(
        ([q]) => q?.status?.[0] === 'approved',
      )![0]!;
      expect(new Date(expiring.expiresBefore!).getTime()).toBeGreaterThan(
        Date.now() + 29 * 24 * 3600 * 1000,
      );

      await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Approve' }),
      );
      await waitFor(() =>
        expect(api.approveException).toHaveBeenCalledWith({
          id: 'exc-1',
          note: undefined,
        }),
      );
      await waitFor(() => expect(api.listExceptions).toHaveBeenCalledTimes(4));
    });
  });

  describe('Control library', () => {
    it('lists controls with where they apply', async () => {
      await render(
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
      await render(
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

  describe('Report', () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:report');
    const downloads: string[] = [];
    beforeEach(() => {
      URL.createObjectURL = createObjectURL;
      URL.revokeObjectURL = jest.fn();
      jest
        .spyOn(HTMLAnchorElement.prototype, 'click')
        .mockImplementation(function record(this: HTMLAnchorElement) {
          downloads.push(this.download);
        });
    });

    it('downloads the CSV report', async () => {
      const api = mockSecurityApi({
        getReportCsv: jest.fn().mockResolvedValue('entityRef,grade\n'),
      });
      await render(api, '/report');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Download CSV' }),
      );
      await waitFor(() =>
        expect(downloads).toEqual([
          expect.stringMatching(/^security-report-\d{4}-\d{2}-\d{2}\.csv$/),
        ]),
      );
      const blob = createObjectURL.mock.calls[0][0];
      expect(blob.type).toBe('text/csv');
      expect(await blob.text()).toBe('entityRef,grade\n');
    });

    it('says so when the caller may not download the report', async () => {
      const api = mockSecurityApi({
        getReport: jest.fn().mockRejectedValue(await forbidden()),
      });
      await render(api, '/report');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Download JSON' }),
      );
      expect(
        await screen.findByText(
          'You do not have permission to download the security report.',
        ),
      ).toBeInTheDocument();
    });
  });
});
