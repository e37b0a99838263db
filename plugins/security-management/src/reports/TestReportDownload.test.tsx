import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { TestReport } from '@open-itsm/plugin-security-management-common';
import { SecurityControlCoverageCard } from '../controlCoverageCard';
import {
  controlEntity,
  entityApi,
  mockSecurityApi,
  renderWithApis,
  tlsControl,
} from '../__testUtils__/fixtures';
import { forbidden, renderEntityTab } from '../__testUtils__/surfaces';

const today = DateTime.now().toISODate()!;
const from = DateTime.now().minus({ days: 90 }).toISODate()!;

const testReport: TestReport = {
  generatedAt: '2026-05-01T00:00:00.000Z',
  period: { from: '2026-02-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z' },
  control: { ref: tlsControl.ref, title: tlsControl.title },
  summary: {
    tests: 0,
    byResult: { pass: 0, fail: 0, partial: 0, error: 0 },
    applicable: 1,
    testedInPeriod: 0,
  },
  tests: [],
  notTested: [
    { controlRef: tlsControl.ref, entityRef: 'component:default/shop' },
  ],
};

describe('test report downloads', () => {
  const createObjectURL = jest.fn((_blob: Blob) => 'blob:test-report');
  let downloads: string[] = [];
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
  afterEach(() => jest.restoreAllMocks());

  it("downloads a service's test report from its Security tab", async () => {
    const getTestReportCsv = jest.fn().mockResolvedValue('testedAt,result\r\n');
    await renderEntityTab(entityApi({ getTestReportCsv }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download test report (CSV)' }),
    );
    await waitFor(() =>
      expect(downloads).toEqual([
        `test-report-component-default-shop-${from}-${today}.csv`,
      ]),
    );
    expect(getTestReportCsv).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
      from: DateTime.fromISO(from).toUTC().toISO(),
      to: undefined,
    });
    expect(await createObjectURL.mock.calls[0][0].text()).toBe(
      'testedAt,result\r\n',
    );
  });

  it("downloads a control's test report of a past period from its coverage card", async () => {
    const getTestReport = jest.fn().mockResolvedValue(testReport);
    await renderWithApis(<SecurityControlCoverageCard />, {
      api: mockSecurityApi({
        getControlCoverage: jest
          .fn()
          .mockResolvedValue({ control: tlsControl, entities: [] }),
        getTestReport,
      }),
      entity: controlEntity,
    });
    for (const [label, date] of [
      ['Tests from', '2026-02-01'],
      ['Tests to', '2026-04-30'],
    ]) {
      const field = await screen.findByLabelText(label);
      await userEvent.clear(field);
      await userEvent.type(field, date);
    }
    await userEvent.click(screen.getByRole('button', { name: 'JSON' }));
    await waitFor(() =>
      expect(downloads).toEqual([
        'test-report-securitycontrol-default-tls-2026-02-01-2026-04-30.json',
      ]),
    );
    expect(getTestReport).toHaveBeenCalledWith({
      controlRef: 'securitycontrol:default/tls',
      from: DateTime.fromISO('2026-02-01').toUTC().toISO(),
      to: DateTime.fromISO('2026-04-30').endOf('day').toUTC().toISO(),
    });
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('application/json');
    expect(JSON.parse(await blob.text())).toEqual(testReport);
  });

  it('says so when the caller may not read test records', async () => {
    await renderEntityTab(
      entityApi({
        getTestReportCsv: jest.fn().mockRejectedValue(await forbidden()),
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download test report (CSV)' }),
    );
    expect(
      await screen.findByText(
        'You do not have permission to read test records.',
      ),
    ).toBeInTheDocument();
    expect(downloads).toEqual([]);
  });
});
