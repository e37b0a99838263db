import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  controlPosture,
  entityApi,
  incident,
  posture,
  responseError,
  securityException,
  tlsControl,
} from '../__testUtils__/fixtures';
import { openDialog, renderEntityTab } from '../__testUtils__/surfaces';

describe('EntitySecurityContent', () => {
  describe('recording a test', () => {
    it('validates before sending', async () => {
      const api = entityApi({ createTestRecord: jest.fn() });
      await renderEntityTab(api);
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
        within(dialog).getByText('expected an http or https URL'),
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
      await renderEntityTab(api);
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
      await renderEntityTab(api);
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
      await renderEntityTab(api);
      const dialog = await openDialog('Move to Triaged');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Move to Triaged' }),
      );
      await waitFor(() =>
        expect(api.transitionIncident).toHaveBeenCalledWith({
          id: 'inc-1',
          to: 'triaged',
          version: 3,
        }),
      );
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
      await renderEntityTab(api);
      const dialog = await openDialog('Move to Triaged');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Move to Triaged' }),
      );
      expect(
        await within(dialog).findByText(
          /Incident inc-1 was changed by someone else/,
        ),
      ).toBeInTheDocument();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Reload' }),
      );
      expect(
        await screen.findByRole('button', { name: 'Move to Contained' }),
      ).toBeInTheDocument();
    });
  });

  it('opens an incident against the entity', async () => {
    const api = entityApi({
      createIncident: jest.fn().mockResolvedValue(incident({ id: 'inc-2' })),
    });
    await renderEntityTab(api);
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
    await renderEntityTab(api);
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
    await renderEntityTab(api);
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
    await renderEntityTab(api);

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
