import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fromNow,
  mockSecurityApi,
  pending,
  posture,
  renderWithApis,
  responseError,
  serviceEntity,
} from '../__testUtils__/fixtures';
import { EntitySecurityPostureCard } from './EntitySecurityPostureCard';

describe('EntitySecurityPostureCard', () => {
  it('shows grade, score, counts, review due date and open incidents', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(posture()),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });

    expect(await screen.findByLabelText('Grade B')).toHaveTextContent('B');
    expect(screen.getByText('Score 85/100')).toBeInTheDocument();
    expect(screen.getByText('Risk tier 1')).toBeInTheDocument();
    expect(screen.getByText('Passing').previousSibling).toHaveTextContent('1');
    expect(screen.getByText('Failing').previousSibling).toHaveTextContent('0');
    expect(screen.getByText('Untested').previousSibling).toHaveTextContent('1');
    expect(screen.getByText('Current — due in 12 days')).toBeInTheDocument();
    expect(screen.getByText('1 critical, 2 medium')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /view security details/i }),
    ).toHaveAttribute('href', '/catalog/default/component/shop/security');
    expect(api.getEntityPosture).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
    });
  });

  it('says nothing of incidents to a viewer who may read none', async () => {
    // The API leaves the counts out for such a viewer.
    const { openIncidents: _hidden, ...withoutIncidents } = posture();
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(withoutIncidents),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });

    expect(await screen.findByText('Score 85/100')).toBeInTheDocument();
    expect(screen.getByText('Current — due in 12 days')).toBeInTheDocument();
    expect(screen.queryByText('Open incidents')).toBeNull();
    expect(screen.queryByText('None')).toBeNull();
  });

  it('says "None" when the viewer may read incidents and none is open', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(
        posture({
          openIncidents: { critical: 0, high: 0, medium: 0, low: 0 },
        }),
      ),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(await screen.findByText('Open incidents')).toBeInTheDocument();
    expect(screen.getByText('None')).toBeInTheDocument();
  });

  it('says how long an overdue review is late', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(
        posture({
          review: {
            status: 'overdue',
            riskTier: 1,
            nextDueAt: fromNow({ days: -3, hours: -1 }),
          },
        }),
      ),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(
      await screen.findByText('Overdue — overdue by 3 days'),
    ).toBeInTheDocument();
  });

  it('says when an entity was never reviewed', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest
        .fn()
        .mockResolvedValue(
          posture({ review: { status: 'never-reviewed', riskTier: 1 } }),
        ),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(await screen.findByText('Never reviewed')).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const api = mockSecurityApi({ getEntityPosture: jest.fn(() => pending()) });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains how to apply controls when none applies', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(
        posture({
          grade: 'N/A',
          score: null,
          controls: [],
          counts: {
            passing: 0,
            failing: 0,
            overdue: 0,
            untested: 0,
            excepted: 0,
          },
        }),
      ),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(
      await screen.findByText('No security controls apply to this entity.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('security.open-itsm.dev/controls'),
    ).toBeInTheDocument();
  });

  it('treats an entity the backend does not know as having no controls', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockRejectedValue(
        await responseError({
          status: 404,
          name: 'NotFoundError',
          message: 'Unknown entity',
        }),
      ),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(
      await screen.findByText('No security controls apply to this entity.'),
    ).toBeInTheDocument();
  });

  it('shows an error with a Retry button that loads again', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError({
            status: 500,
            name: 'Error',
            message: 'Database unavailable',
          }),
        )
        .mockResolvedValueOnce(posture()),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(
      await screen.findByText(/Could not view the security posture/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByLabelText('Grade B')).toBeInTheDocument();
    expect(api.getEntityPosture).toHaveBeenCalledTimes(2);
  });

  it('says so when the caller may not read the posture', async () => {
    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockRejectedValue(
        await responseError({
          status: 403,
          name: 'NotAllowedError',
          message: 'Unauthorized',
        }),
      ),
    });
    await renderWithApis(<EntitySecurityPostureCard />, {
      api,
      entity: serviceEntity,
    });
    expect(
      await screen.findByText(
        'You do not have permission to view the security posture of this entity.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});
