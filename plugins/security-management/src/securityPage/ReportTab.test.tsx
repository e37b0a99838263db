import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockSecurityApi } from '../__testUtils__/fixtures';
import { forbidden, renderSecurityPage } from '../__testUtils__/surfaces';

describe('SecurityManagementTabs', () => {
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
      await renderSecurityPage(api, '/report');
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
      await renderSecurityPage(api, '/report');
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
