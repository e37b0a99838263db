import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  controlPosture,
  entityApi,
  fromNow,
  incident,
  MockSecurityApi,
  pending,
  posture,
  renderWithApis,
  responseError,
  securityException,
  serviceEntity,
  tlsControl,
} from '../../__testUtils__/fixtures';
import { EntitySecurityContent } from './EntitySecurityContent';

const ALL_ACTIONS = [
  'security-management.test-record.create',
  'security-management.incident.create',
  'security-management.incident.update',
  'security-management.review.create',
  'security-management.exception.request',
  'security-management.exception.decide',
];

function render(api: MockSecurityApi, allow: string[] = ALL_ACTIONS) {
  return renderWithApis(<EntitySecurityContent />, {
    api,
    allow,
    entity: serviceEntity,
  });
}

async function openDialog(button: string) {
  await userEvent.click(await screen.findByRole('button', { name: button }));
  return screen.findByRole('dialog');
}

describe('EntitySecurityContent', () => {
  it('shows controls, test history, incidents, reviews and exceptions', async () => {
    const api = entityApi();
    await render(api);

    expect(
      await screen.findByRole('link', { name: 'Encrypt data in transit' }),
    ).toBeInTheDocument();
    expect(screen.getByText('MFA for admin access')).toBeInTheDocument();
    expect(screen.getByText('nist-sp-800-53-rev5 SC-8')).toBeInTheDocument();
    expect(screen.getByText('iso-27001-2022 A.8.24')).toBeInTheDocument();
    expect(screen.getAllByText('Untested').length).toBeGreaterThan(0);
    expect(
      screen.getAllByRole('link', { name: /^Evidence/ })[0],
    ).toHaveAttribute('href', 'https://ci.example.com/runs/1');

    expect(
      await screen.findByText('All endpoints on TLS 1.3'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Leaked API key')).toBeInTheDocument();
    expect(await screen.findByText('Logging is thin')).toBeInTheDocument();
    expect(screen.getByText('Add audit logs')).toBeInTheDocument();
    expect(
      await screen.findByText('Legacy admin console is being retired'),
    ).toBeInTheDocument();

    expect(api.listTestRecords).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
      limit: 50,
    });
    expect(api.listIncidents).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
    });
  });

  it('shows progress while the posture loads', async () => {
    await render(entityApi({ getEntityPosture: jest.fn(() => pending()) }));
    expect(screen.getAllByTestId('progress').length).toBeGreaterThan(0);
  });

  it('explains how to apply controls when none applies', async () => {
    await render(
      entityApi({
        getEntityPosture: jest
          .fn()
          .mockResolvedValue(posture({ grade: 'N/A', controls: [] })),
        listTestRecords: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
        listIncidents: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
        listReviews: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
        listExceptions: jest
          .fn()
          .mockResolvedValue({ items: [], totalCount: 0 }),
      }),
    );
    expect(
      await screen.findByText('No security controls apply to this entity.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'No tests have been recorded for this entity yet.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('This entity has never been reviewed.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'No incidents that you may see affect this entity.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'No exceptions have been requested for this entity.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record test' })).toBeNull();
  });

  it('retries a section that failed to load', async () => {
    const api = entityApi({
      listTestRecords: jest
        .fn()
        .mockRejectedValueOnce(new Error('Network down'))
        .mockResolvedValue({ items: [], totalCount: 0 }),
    });
    await render(api);
    expect(
      await screen.findByText(/Could not view the test history/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(
      await screen.findByText(
        'No tests have been recorded for this entity yet.',
      ),
    ).toBeInTheDocument();
    expect(api.listTestRecords).toHaveBeenCalledTimes(2);
  });

  it('says which sections the caller may not see', async () => {
    await render(
      entityApi({
        listIncidents: jest.fn().mockRejectedValue(
          await responseError({
            status: 403,
            name: 'NotAllowedError',
            message: 'Unauthorized',
          }),
        ),
      }),
    );
    expect(
      await screen.findByText(
        'You do not have permission to view security incidents.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the details and timeline of an incident on demand', async () => {
    const api = entityApi({
      listIncidents: jest.fn().mockResolvedValue({
        items: [
          incident({
            failedControls: ['securitycontrol:default/tls'],
            externalReferences: [
              { type: 'ticket', url: 'https://tickets.example.com/SEC-1' },
            ],
          }),
        ],
        totalCount: 1,
      }),
      getIncidentTimeline: jest.fn().mockResolvedValue({
        items: [
          {
            id: 't1',
            incidentId: 'inc-1',
            at: fromNow({ days: -1 }),
            actor: 'user:default/alice',
            action: 'created',
          },
        ],
      }),
    });
    await render(api);
    await screen.findByText('Leaked API key');
    expect(
      screen.queryByText('A key was pushed to a public repository.'),
    ).toBeNull();

    await userEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );

    expect(
      await screen.findByText('A key was pushed to a public repository.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /ticket/ })).toHaveAttribute(
      'href',
      'https://tickets.example.com/SEC-1',
    );
    expect(
      await screen.findByText(/user:default\/alice: created/),
    ).toBeInTheDocument();
    expect(api.getIncidentTimeline).toHaveBeenCalledWith({ id: 'inc-1' });
  });

  describe('recording a test', () => {
    it('validates before sending', async () => {
      const api = entityApi({ createTestRecord: jest.fn() });
      await render(api);
      const dialog = await openDialog('Record test');

      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Record test' }),
      );
      expect(
        within(dialog).getByText('Choose the control tested'),
      ).toBeInTheDocument();
      expect(within(dialog).getByText('Choose the result')).toBeInTheDocument();

      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Control/),
        tlsControl.ref,
      );
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Result/),
        'fail',
      );
      await userEvent.type(
        within(dialog).getByLabelText('Evidence URL'),
        'ftp://evidence',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Record test' }),
      );
      expect(
        within(dialog).getByText('Enter an http(s) URL'),
      ).toBeInTheDocument();
      expect(api.createTestRecord).not.toHaveBeenCalled();
    });

    it("shows the server's message when it refuses", async () => {
      const api = entityApi({
        createTestRecord: jest.fn().mockRejectedValue(
          await responseError({
            status: 400,
            name: 'InputError',
            message: 'testedAt is more than 5 minutes in the future',
          }),
        ),
      });
      await render(api);
      const dialog = await openDialog('Record test');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Control/),
        tlsControl.ref,
      );
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Result/),
        'pass',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Record test' }),
      );
      expect(
        await within(dialog).findByText(
          'testedAt is more than 5 minutes in the future',
        ),
      ).toBeInTheDocument();
    });

    it('sends the test and shows the new failing status', async () => {
      const failing = posture({
        counts: {
          passing: 0,
          failing: 1,
          overdue: 0,
          untested: 1,
          excepted: 0,
        },
        controls: [
          controlPosture({ status: 'failing', lastResult: 'fail' }),
          posture().controls![1],
        ],
      });
      const api = entityApi({
        getEntityPosture: jest
          .fn()
          .mockResolvedValueOnce(posture())
          .mockResolvedValue(failing),
        createTestRecord: jest.fn().mockResolvedValue({
          record: { id: 'r2' },
          created: true,
        }),
      });
      await render(api);
      expect(await screen.findAllByText('Passing')).toHaveLength(2);
      const dialog = await openDialog('Record test');
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Control/),
        tlsControl.ref,
      );
      await userEvent.selectOptions(
        within(dialog).getByLabelText(/Result/),
        'fail',
      );
      await userEvent.type(
        within(dialog).getByLabelText('Evidence URL'),
        'https://ci.example.com/runs/2',
      );
      await userEvent.type(within(dialog).getByLabelText('Notes'), 'TLS 1.0');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Record test' }),
      );

      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(api.createTestRecord).toHaveBeenCalledWith({
        controlRef: tlsControl.ref,
        entityRef: 'component:default/shop',
        result: 'fail',
        evidenceUrl: 'https://ci.example.com/runs/2',
        notes: 'TLS 1.0',
      });
      // The chip in the controls table and the count in the summary.
      await waitFor(() =>
        expect(screen.getAllByText('Failing').length).toBeGreaterThan(1),
      );
      expect(api.listTestRecords).toHaveBeenCalledTimes(2);
    });
  });

  describe('moving an incident', () => {
    it('sends the next status with the version', async () => {
      const api = entityApi({
        transitionIncident: jest
          .fn()
          .mockResolvedValue(incident({ status: 'triaged', version: 4 })),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Move to Triaged' }),
      );
      expect(api.transitionIncident).toHaveBeenCalledWith({
        id: 'inc-1',
        to: 'triaged',
        version: 3,
      });
      await waitFor(() => expect(api.listIncidents).toHaveBeenCalledTimes(2));
    });

    it('shows the conflict and reloads the incident', async () => {
      const api = entityApi({
        listIncidents: jest
          .fn()
          .mockResolvedValueOnce({ items: [incident()], totalCount: 1 })
          .mockResolvedValue({
            items: [incident({ status: 'triaged', version: 4 })],
            totalCount: 1,
          }),
        transitionIncident: jest.fn().mockRejectedValue(
          await responseError({
            status: 409,
            name: 'ConflictError',
            message: 'Incident inc-1 was changed by someone else',
          }),
        ),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Move to Triaged' }),
      );
      expect(
        await screen.findByText('Incident inc-1 was changed by someone else'),
      ).toBeInTheDocument();
      expect(
        await screen.findByRole('button', { name: 'Move to Contained' }),
      ).toBeInTheDocument();
    });
  });

  it('opens an incident against the entity', async () => {
    const api = entityApi({
      createIncident: jest.fn().mockResolvedValue(incident({ id: 'inc-2' })),
    });
    await render(api);
    const dialog = await openDialog('Open incident');
    expect(within(dialog).getByLabelText(/Affected entities/)).toHaveValue(
      'component:default/shop',
    );

    await userEvent.type(
      within(dialog).getByLabelText(/Failed controls/),
      'not a ref',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open incident' }),
    );
    expect(within(dialog).getByText('Enter a title')).toBeInTheDocument();
    expect(within(dialog).getByText('Choose a severity')).toBeInTheDocument();
    expect(
      within(dialog).getByText(/'not a ref' is not an entity ref/),
    ).toBeInTheDocument();
    expect(api.createIncident).not.toHaveBeenCalled();

    await userEvent.clear(within(dialog).getByLabelText(/Failed controls/));
    await userEvent.type(within(dialog).getByLabelText(/Title/), 'Phishing');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Severity/),
      'critical',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open incident' }),
    );
    await waitFor(() =>
      expect(api.createIncident).toHaveBeenCalledWith({
        title: 'Phishing',
        severity: 'critical',
        affectedEntities: ['component:default/shop'],
        failedControls: [],
      }),
    );
    await waitFor(() => expect(api.listIncidents).toHaveBeenCalledTimes(2));
  });

  it('records a review, requiring conditions for a conditional approval', async () => {
    const api = entityApi({
      createReview: jest.fn().mockResolvedValue({ id: 'rv2' }),
    });
    await render(api);
    const dialog = await openDialog('Record review');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Outcome/),
      'approved-with-conditions',
    );
    await userEvent.type(within(dialog).getByLabelText(/Findings/), 'OK');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record review' }),
    );
    expect(
      within(dialog).getByText('List the conditions of the approval'),
    ).toBeInTheDocument();
    expect(api.createReview).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByLabelText(/Conditions/),
      'Rotate keys{enter}Add WAF',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record review' }),
    );
    await waitFor(() =>
      expect(api.createReview).toHaveBeenCalledWith({
        entityRef: 'component:default/shop',
        outcome: 'approved-with-conditions',
        findings: 'OK',
        conditions: ['Rotate keys', 'Add WAF'],
      }),
    );
    await waitFor(() => expect(api.listReviews).toHaveBeenCalledTimes(2));
  });

  it('requests an exception that expires in the future', async () => {
    const api = entityApi({
      requestException: jest.fn().mockResolvedValue(securityException()),
    });
    await render(api);
    const dialog = await openDialog('Request exception');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Control/),
      tlsControl.ref,
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Justification/),
      'Partner needs TLS 1.1',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Expires/),
      '2001-01-01',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request exception' }),
    );
    expect(
      within(dialog).getByText('The expiry must be in the future'),
    ).toBeInTheDocument();
    expect(api.requestException).not.toHaveBeenCalled();

    await userEvent.clear(within(dialog).getByLabelText(/Expires/));
    await userEvent.type(
      within(dialog).getByLabelText(/Expires/),
      '2099-06-30',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request exception' }),
    );
    await waitFor(() => expect(api.requestException).toHaveBeenCalled());
    expect(api.requestException.mock.calls[0][0]).toMatchObject({
      controlRef: tlsControl.ref,
      entityRef: 'component:default/shop',
      justification: 'Partner needs TLS 1.1',
    });
    expect(
      new Date(api.requestException.mock.calls[0][0].expiresAt).getFullYear(),
    ).toBe(2099);
    await waitFor(() => expect(api.listExceptions).toHaveBeenCalledTimes(2));
  });

  it('rejects an exception only with a reason, and approves one', async () => {
    const api = entityApi({
      approveException: jest
        .fn()
        .mockResolvedValue(securityException({ status: 'approved' })),
      rejectException: jest.fn(),
    });
    await render(api);

    const rejectDialog = await openDialog('Reject');
    await userEvent.click(
      within(rejectDialog).getByRole('button', { name: 'Reject' }),
    );
    expect(
      within(rejectDialog).getByText('Say why the exception is rejected'),
    ).toBeInTheDocument();
    expect(api.rejectException).not.toHaveBeenCalled();
    await userEvent.click(
      within(rejectDialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const approveDialog = await openDialog('Approve');
    await userEvent.type(
      within(approveDialog).getByLabelText(/Note/),
      'Until the console is gone',
    );
    await userEvent.click(
      within(approveDialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(api.approveException).toHaveBeenCalledWith({
        id: 'exc-1',
        note: 'Until the console is gone',
      }),
    );
    await waitFor(() => expect(api.listExceptions).toHaveBeenCalledTimes(2));
  });
});
