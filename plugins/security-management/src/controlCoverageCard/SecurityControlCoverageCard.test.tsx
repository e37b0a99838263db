import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ControlCoverage } from '@open-itsm/plugin-security-management-common';
import {
  controlEntity,
  fromNow,
  mockSecurityApi,
  pending,
  renderWithApis,
  responseError,
  tlsControl,
} from '../__testUtils__/fixtures';
import { SecurityControlCoverageCard } from './SecurityControlCoverageCard';

const coverage: ControlCoverage = {
  control: tlsControl,
  entities: [
    {
      entityRef: 'component:default/shop',
      title: 'Shop',
      owner: 'group:default/payments',
      status: 'failing',
      lastTestedAt: fromNow({ days: -3 }),
      nextDueAt: fromNow({ days: 87 }),
    },
    {
      entityRef: 'component:default/billing',
      status: 'untested',
    },
  ],
};

function render(getControlCoverage: jest.Mock) {
  return renderWithApis(<SecurityControlCoverageCard />, {
    api: mockSecurityApi({ getControlCoverage }),
    entity: controlEntity,
  });
}

describe('SecurityControlCoverageCard', () => {
  it('describes the control and the status of every entity', async () => {
    const getControlCoverage = jest.fn().mockResolvedValue(coverage);
    await render(getControlCoverage);

    expect(
      await screen.findByText(
        'Traffic with customer data uses TLS 1.2 or newer.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Scan public endpoints for old protocols.'),
    ).toBeInTheDocument();
    expect(screen.getByText('every 90 days')).toBeInTheDocument();
    expect(screen.getByText('Automated')).toBeInTheDocument();
    expect(screen.getByText('nist-sp-800-53-rev5 SC-8')).toBeInTheDocument();
    expect(screen.getByText('Applies to 2 entities')).toBeInTheDocument();
    expect(screen.getByText('1 failing · 1 untested')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Shop/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/shop',
    );
    expect(screen.getByText('Failing')).toBeInTheDocument();
    expect(getControlCoverage).toHaveBeenCalledWith({
      controlRef: 'securitycontrol:default/tls',
    });
  });

  it('says when the control applies to no entity', async () => {
    await render(jest.fn().mockResolvedValue({ ...coverage, entities: [] }));
    expect(
      await screen.findByText('Applies to 0 entities'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No entity matches this control/),
    ).toBeInTheDocument();
  });

  it('says when the backend has not picked up the control yet', async () => {
    await render(
      jest.fn().mockRejectedValue(
        await responseError({
          status: 404,
          name: 'NotFoundError',
          message: 'Unknown control',
        }),
      ),
    );
    expect(
      await screen.findByText(/has not picked up this control yet/),
    ).toBeInTheDocument();
  });

  it('says a control with processing errors is not in effect', async () => {
    await renderWithApis(<SecurityControlCoverageCard />, {
      api: mockSecurityApi({
        getControlCoverage: jest.fn().mockRejectedValue(
          await responseError({
            status: 404,
            name: 'NotFoundError',
            message: 'Unknown control',
          }),
        ),
      }),
      entity: {
        ...controlEntity,
        status: {
          items: [
            {
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message: 'InputError: spec.testing.cadence is invalid',
              error: { name: 'InputError', message: 'invalid' },
            },
          ],
        },
      } as typeof controlEntity,
    });
    expect(
      await screen.findByText(/This control is not in effect/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/has not picked up this control yet/),
    ).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await render(jest.fn(() => pending()));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('retries after an error', async () => {
    const getControlCoverage = jest
      .fn()
      .mockRejectedValueOnce(new Error('Timed out'))
      .mockResolvedValue(coverage);
    await render(getControlCoverage);
    expect(
      await screen.findByText(/Could not view the coverage/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByText('every 90 days')).toBeInTheDocument();
    expect(getControlCoverage).toHaveBeenCalledTimes(2);
  });

  it('says so when the caller may not read it', async () => {
    await render(
      jest.fn().mockRejectedValue(
        await responseError({
          status: 403,
          name: 'NotAllowedError',
          message: 'Unauthorized',
        }),
      ),
    );
    expect(
      await screen.findByText(
        'You do not have permission to view the coverage of this control.',
      ),
    ).toBeInTheDocument();
  });
});
