import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { mockSecurityApi, report } from '../__testUtils__/fixtures';
import { forbidden, renderSecurityPage } from '../__testUtils__/surfaces';

const today = DateTime.now().toISODate()!;
const ninetyDaysAgo = DateTime.now().minus({ days: 90 }).toISODate()!;

/** A print view window: the document the report is written to. */
function fakeView() {
  const printButton = document.createElement('button');
  const written: string[] = [];
  const view = {
    document: {
      open: jest.fn(),
      write: jest.fn((html: string) => written.push(html)),
      close: jest.fn(),
      getElementById: jest.fn((id: string) =>
        id === 'print-report' ? printButton : null,
      ),
    },
    focus: jest.fn(),
    print: jest.fn(),
    close: jest.fn(),
  };
  return { view, written, printButton };
}

describe('SecurityManagementTabs', () => {
  describe('Report', () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:report');
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

    async function setDate(label: string, value: string) {
      const field = screen.getByLabelText(label);
      await userEvent.clear(field);
      await userEvent.type(field, value);
    }

    it('downloads the entities table as of now over the last 90 days', async () => {
      const getReportCsv = jest.fn().mockResolvedValue('entityRef,grade\n');
      await renderSecurityPage(mockSecurityApi({ getReportCsv }), '/report');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Download CSV' }),
      );
      await waitFor(() =>
        expect(downloads).toEqual([`security-report-${today}.csv`]),
      );
      expect(getReportCsv).toHaveBeenCalledWith({
        asOf: undefined,
        from: DateTime.fromISO(ninetyDaysAgo).toUTC().toISO(),
        section: 'entities',
      });
      const blob = createObjectURL.mock.calls[0][0];
      expect(blob.type).toBe('text/csv');
      expect(await blob.text()).toBe('entityRef,grade\n');
    });

    it('downloads the incidents of a past quarter, or says why it may not', async () => {
      const getReportCsv = jest
        .fn()
        .mockResolvedValueOnce('id,title\n')
        .mockRejectedValueOnce(await forbidden());
      await renderSecurityPage(mockSecurityApi({ getReportCsv }), '/report');
      await screen.findByRole('button', { name: 'Print' });
      await setDate('Period from', '2026-01-01');
      await setDate('To (as of)', '2026-03-31');
      await userEvent.click(screen.getByLabelText('CSV table'));
      await userEvent.click(
        await screen.findByRole('option', { name: 'Incidents of the period' }),
      );
      await userEvent.click(
        screen.getByRole('button', { name: 'Download CSV' }),
      );
      await waitFor(() =>
        expect(downloads).toEqual(['security-report-incidents-2026-03-31.csv']),
      );
      expect(getReportCsv).toHaveBeenCalledWith({
        asOf: DateTime.fromISO('2026-03-31').endOf('day').toUTC().toISO(),
        from: DateTime.fromISO('2026-01-01').toUTC().toISO(),
        section: 'incidents',
      });

      await userEvent.click(
        screen.getByRole('button', { name: 'Download CSV' }),
      );
      expect(
        await screen.findByText(
          'You may not read security incidents, so the report has no incident table for you.',
        ),
      ).toBeInTheDocument();
    });

    it('prints the report from a view without the app around it', async () => {
      const getReport = jest.fn().mockResolvedValue(report());
      const { view, written, printButton } = fakeView();
      const open = jest
        .spyOn(window, 'open')
        .mockReturnValue(view as unknown as Window);
      await renderSecurityPage(mockSecurityApi({ getReport }), '/report');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Print' }),
      );

      await waitFor(() => expect(view.print).toHaveBeenCalledTimes(1));
      expect(open).toHaveBeenCalledWith('', '_blank');
      const html = written[written.length - 1];
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('@media print');
      expect(html).toContain('<strong>IT security report</strong>');
      // A document of its own: no app, and no script for the CSP to block.
      expect(html).not.toContain('<script');
      expect(view.document.close).toHaveBeenCalled();
      // The view's own Print button prints again.
      printButton.click();
      expect(view.print).toHaveBeenCalledTimes(2);
    });

    it('says so when the browser blocks the print view', async () => {
      jest.spyOn(window, 'open').mockReturnValue(null);
      const getReport = jest.fn();
      await renderSecurityPage(mockSecurityApi({ getReport }), '/report');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Print' }),
      );
      expect(
        await screen.findByText(/Your browser blocked the print view/),
      ).toBeInTheDocument();
      expect(getReport).not.toHaveBeenCalled();
    });

    it('refuses a period in the future or ending before it starts', async () => {
      await renderSecurityPage(mockSecurityApi(), '/report');
      await screen.findByRole('button', { name: 'Print' });
      const tomorrow = DateTime.now().plus({ days: 1 }).toISODate()!;
      await setDate('To (as of)', tomorrow);
      expect(
        screen.getByText('The report cannot look into the future'),
      ).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Print' })).toBeDisabled();
      await setDate('To (as of)', '2026-01-01');
      await setDate('Period from', '2026-02-01');
      expect(
        screen.getByText('The period starts after it ends'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: 'Download CSV' }),
      ).toBeDisabled();
    });

    it('says so when the caller may not read the report', async () => {
      const { view } = fakeView();
      jest.spyOn(window, 'open').mockReturnValue(view as unknown as Window);
      const api = mockSecurityApi({
        getReport: jest.fn().mockRejectedValue(await forbidden()),
      });
      await renderSecurityPage(api, '/report');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Download JSON' }),
      );
      expect(
        await screen.findByText(
          'You do not have permission to read the security report.',
        ),
      ).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Print' }));
      await waitFor(() => expect(view.close).toHaveBeenCalled());
    });
  });
});
