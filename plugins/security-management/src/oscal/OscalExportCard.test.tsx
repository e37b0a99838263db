import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import {
  mockSecurityApi,
  MockSecurityApi,
  pending,
  renderWithApis,
  responseError,
} from '../__testUtils__/fixtures';
import { forbidden, renderEntityTab } from '../__testUtils__/surfaces';
import { OscalExportCard } from './OscalExportCard';

const SHOP = 'component:default/shop';

const componentDefinition = {
  'component-definition': {
    uuid: '8f1c2c1e-1111-5111-8111-111111111111',
    metadata: {
      title: 'Security controls of shop',
      'last-modified': '2026-06-01T00:00:00.000Z',
      version: '0123456789abcdef',
      'oscal-version': '1.0.6',
    },
    components: [{ uuid: '8f1c2c1e-2222-5222-8222-222222222222' }],
  },
};

const assessmentResults = {
  'assessment-results': {
    uuid: '8f1c2c1e-3333-5333-8333-333333333333',
    metadata: {
      title: 'Security test results of shop',
      'last-modified': '2026-06-01T00:00:00.000Z',
      version: 'fedcba9876543210',
      'oscal-version': '1.0.6',
    },
    'import-ap': { href: '#8f1c2c1e-4444-5444-8444-444444444444' },
    results: [{ uuid: '8f1c2c1e-5555-5555-8555-555555555555' }],
  },
};

describe('OscalExportCard', () => {
  const createObjectURL = jest.fn((_blob: Blob) => 'blob:oscal');
  let downloads: string[];
  beforeEach(() => {
    downloads = [];
    createObjectURL.mockClear();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = jest.fn();
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        downloads.push(this.download);
      });
  });

  function renderCard(api: MockSecurityApi) {
    return renderWithApis(<OscalExportCard entityRef={SHOP} />, { api });
  }

  const button = (name: RegExp) => screen.findByRole('button', { name });
  const today = () => DateTime.now().toISODate()!;
  const yearAgo = () => DateTime.now().minus({ months: 12 }).toISODate()!;

  it('downloads the component definition as a JSON file', async () => {
    const api = mockSecurityApi({
      exportOscalComponentDefinition: jest
        .fn()
        .mockResolvedValue(componentDefinition),
    });
    await renderCard(api);
    await userEvent.click(await button(/component definition/));
    await waitFor(() =>
      expect(downloads).toEqual([
        'oscal-component-definition-component-default-shop.json',
      ]),
    );
    expect(api.exportOscalComponentDefinition).toHaveBeenCalledWith({
      entityRef: SHOP,
    });
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('application/json');
    expect(JSON.parse(await blob.text())).toEqual(componentDefinition);
  });

  it('downloads the assessment results of the last 12 months by default', async () => {
    const api = mockSecurityApi({
      exportOscalAssessmentResults: jest
        .fn()
        .mockResolvedValue(assessmentResults),
    });
    await renderCard(api);
    expect(screen.getByLabelText('Tested from')).toHaveValue(yearAgo());
    expect(screen.getByLabelText('Tested to')).toHaveValue(today());
    await userEvent.click(await button(/assessment results/));
    await waitFor(() =>
      expect(downloads).toEqual([
        `oscal-assessment-results-component-default-shop-${yearAgo()}-${today()}.json`,
      ]),
    );
    // A period that ends today ends now, on the server's clock.
    expect(api.exportOscalAssessmentResults).toHaveBeenCalledWith({
      entityRef: SHOP,
      from: DateTime.fromISO(yearAgo()).startOf('day').toUTC().toISO(),
      to: undefined,
    });
    const blob = createObjectURL.mock.calls[0][0];
    expect(JSON.parse(await blob.text())).toEqual(assessmentResults);
  });

  it('exports the period picked, from the start of its first day to the end of its last', async () => {
    const api = mockSecurityApi({
      exportOscalAssessmentResults: jest
        .fn()
        .mockResolvedValue(assessmentResults),
    });
    await renderCard(api);
    fireEvent.change(screen.getByLabelText('Tested from'), {
      target: { value: '2025-01-01' },
    });
    fireEvent.change(screen.getByLabelText('Tested to'), {
      target: { value: '2025-03-31' },
    });
    await userEvent.click(await button(/assessment results/));
    await waitFor(() =>
      expect(api.exportOscalAssessmentResults).toHaveBeenCalledWith({
        entityRef: SHOP,
        from: DateTime.fromISO('2025-01-01').toUTC().toISO(),
        to: DateTime.fromISO('2025-03-31').endOf('day').toUTC().toISO(),
      }),
    );
    await waitFor(() =>
      expect(downloads).toEqual([
        'oscal-assessment-results-component-default-shop-2025-01-01-2025-03-31.json',
      ]),
    );
  });

  it('refuses a period that ends before it starts', async () => {
    const api = mockSecurityApi();
    await renderCard(api);
    fireEvent.change(screen.getByLabelText('Tested to'), {
      target: { value: '2020-01-01' },
    });
    expect(
      await screen.findByText('The end of the period is before its start'),
    ).toBeInTheDocument();
    expect(await button(/assessment results/)).toBeDisabled();
    expect(await button(/component definition/)).toBeEnabled();
  });

  it('disables both downloads while one is being prepared', async () => {
    const api = mockSecurityApi({
      exportOscalComponentDefinition: jest.fn(() => pending()),
    });
    await renderCard(api);
    await userEvent.click(await button(/component definition/));
    expect(
      await screen.findByRole('progressbar', {
        name: 'Preparing the download',
      }),
    ).toBeInTheDocument();
    expect(await button(/component definition/)).toBeDisabled();
    expect(await button(/assessment results/)).toBeDisabled();
    expect(downloads).toEqual([]);
  });

  it('says why nothing was downloaded', async () => {
    const api = mockSecurityApi({
      exportOscalComponentDefinition: jest
        .fn()
        .mockRejectedValue(await forbidden()),
      exportOscalAssessmentResults: jest.fn().mockRejectedValue(
        await responseError({
          status: 404,
          name: 'NotFoundError',
          message: 'No OSCAL export',
        }),
      ),
    });
    await renderCard(api);
    await userEvent.click(await button(/component definition/));
    expect(
      await screen.findByText(
        'You do not have permission to export the security posture of this entity.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(await button(/assessment results/));
    expect(
      await screen.findByText(
        'No security control applies to this entity, so there is nothing to export.',
      ),
    ).toBeInTheDocument();
    expect(downloads).toEqual([]);
  });

  it('is on the Security tab of an entity', async () => {
    const api = mockSecurityApi({
      exportOscalComponentDefinition: jest
        .fn()
        .mockResolvedValue(componentDefinition),
    });
    await renderEntityTab(api);
    await userEvent.click(await button(/Download OSCAL component definition/));
    await waitFor(() =>
      expect(api.exportOscalComponentDefinition).toHaveBeenCalledWith({
        entityRef: SHOP,
      }),
    );
    expect(
      await button(/Download OSCAL assessment results/),
    ).toBeInTheDocument();
  });
});
