import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  entityApi,
  fromNow,
  incident,
  pending,
  posture,
  responseError,
} from '../__testUtils__/fixtures';
import { renderEntityTab } from '../__testUtils__/surfaces';

describe('EntitySecurityContent', () => {
  it('shows controls, test history, incidents, reviews and exceptions', async () => {
    const api = entityApi();
    await renderEntityTab(api);

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

  it('says nothing of incident counts to a viewer who may read no incident', async () => {
    const { openIncidents: _hidden, ...withoutIncidents } = posture();
    await renderEntityTab(
      entityApi({
        getEntityPosture: jest.fn().mockResolvedValue(withoutIncidents),
        listIncidents: jest.fn().mockRejectedValue(
          await responseError({
            status: 403,
            name: 'NotAllowedError',
            message: 'Unauthorized',
          }),
        ),
      }),
    );
    expect(await screen.findByText('Score 85/100')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Encrypt data in transit' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Open incidents')).toBeNull();
    expect(screen.queryByText(/\d+ (critical|high|medium|low)/)).toBeNull();
  });

  it('shows progress while the posture loads', async () => {
    await renderEntityTab(
      entityApi({ getEntityPosture: jest.fn(() => pending()) }),
    );
    expect(screen.getAllByTestId('progress').length).toBeGreaterThan(0);
  });

  it('explains how to apply controls when none applies', async () => {
    await renderEntityTab(
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
    await renderEntityTab(api);
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
    await renderEntityTab(
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
    await renderEntityTab(api);
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
});
