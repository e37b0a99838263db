import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockSecurityApi,
  MockSecurityApi,
  pending,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { forbidden } from '../__testUtils__/surfaces';
import {
  frameworkList,
  NIST,
  SHOP,
  soa,
} from './__testUtils__/frameworkFixtures';
import { StatementOfApplicabilityCard } from './StatementOfApplicabilityCard';

describe('StatementOfApplicabilityCard', () => {
  const createObjectURL = jest.fn((_blob: Blob) => 'blob:soa');
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

  async function renderCard(api: MockSecurityApi) {
    const rendered = await renderWithApis(
      <StatementOfApplicabilityCard entityRef={SHOP} />,
      { api },
    );
    // Nothing is read until the reader opens the statement.
    expect(api.listFrameworks).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Show' }));
    return rendered;
  }

  it('lists every requirement of the first framework, applicable or not, with why', async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      getStatementOfApplicability: jest.fn().mockResolvedValue(soa()),
    });
    await renderCard(api);
    expect(
      await screen.findByText(
        /1 of 2 requirements of NIST SP 800-53 Rev 5 LOW baseline apply to this entity: 0 passing, 1 failing/,
      ),
    ).toBeInTheDocument();
    expect(api.getStatementOfApplicability).toHaveBeenCalledWith({
      entityRef: SHOP,
      framework: NIST,
    });
    const ac2 = screen.getByText('AC-2').closest('tr')!;
    expect(within(ac2).getByText('No')).toBeInTheDocument();
    expect(
      within(ac2).getByText(
        'No control in the library satisfies this requirement.',
      ),
    ).toBeInTheDocument();
    const sc8 = screen.getByText('SC-8').closest('tr')!;
    expect(within(sc8).getByText('Yes')).toBeInTheDocument();
    expect(within(sc8).getAllByText('Failing')).toHaveLength(2);
    expect(within(sc8).getByRole('link', { name: /evidence/ })).toHaveAttribute(
      'href',
      'https://ci.example.com/runs/7',
    );
    // A mapping that names no requirement is a warning.
    expect(screen.getByText(/maps to SC-99/)).toBeInTheDocument();
  });

  it('reads another framework when picked', async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      getStatementOfApplicability: jest.fn().mockResolvedValue(soa()),
    });
    await renderCard(api);
    await screen.findByText('SC-8');
    await userEvent.click(screen.getByLabelText('Framework'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'ISO/IEC 27001:2022 Annex A (from control mappings)',
      }),
    );
    await waitFor(() =>
      expect(api.getStatementOfApplicability).toHaveBeenLastCalledWith({
        entityRef: SHOP,
        framework: 'iso-27001-2022',
      }),
    );
  });

  it('downloads the statement as CSV and as JSON', async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      getStatementOfApplicability: jest.fn().mockResolvedValue(soa()),
      getStatementOfApplicabilityCsv: jest
        .fn()
        .mockResolvedValue('framework,requirement\r\n'),
    });
    await renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );
    await waitFor(() => expect(downloads).toEqual([`soa-shop-${NIST}.csv`]));
    expect(api.getStatementOfApplicabilityCsv).toHaveBeenCalledWith({
      entityRef: SHOP,
      framework: NIST,
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Download JSON' }),
    );
    expect(downloads).toEqual([
      `soa-shop-${NIST}.csv`,
      `soa-shop-${NIST}.json`,
    ]);
    const json = createObjectURL.mock.calls[1][0];
    expect(JSON.parse(await json.text())).toEqual(soa());
  });

  it('shows loading, an empty library and a refusal', async () => {
    const loading = mockSecurityApi({
      listFrameworks: jest.fn(() => pending()),
    });
    const { unmount } = await renderCard(loading);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();

    const empty = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue({ items: [] }),
    });
    const second = await renderCard(empty);
    expect(
      await screen.findByText(/No framework to report against yet/),
    ).toBeInTheDocument();
    second.unmount();

    const refused = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      getStatementOfApplicability: jest.fn(async () =>
        Promise.reject(await forbidden()),
      ),
    });
    await renderCard(refused);
    expect(
      await screen.findByText(
        'You do not have permission to view the Statement of Applicability.',
      ),
    ).toBeInTheDocument();
  });
});
