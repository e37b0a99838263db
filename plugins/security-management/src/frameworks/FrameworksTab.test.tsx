import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockSecurityApi, renderWithApis } from '../__testUtils__/fixtures';
import { forbidden, renderSecurityPage } from '../__testUtils__/surfaces';
import {
  coverage,
  frameworkList,
  NIST,
} from './__testUtils__/frameworkFixtures';
import { FrameworksTab } from './FrameworksTab';

const failedImport = {
  importId: 'nist-low',
  framework: NIST,
  target: 'https://example.com/low.json',
  lastOutcome: 'failed' as const,
  lastRunAt: '2026-11-30T01:00:00.000Z',
  lastImportedAt: '2026-11-29T01:00:00.000Z',
  requirementCount: 149,
  error:
    "OSCAL import nist-low failed, the previous import stays: /catalog/groups/0 must have required property 'title'",
};

describe('FrameworksTab', () => {
  it("shows a framework's coverage by status and its requirements", async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      listFrameworkImports: jest.fn().mockResolvedValue({ items: [] }),
      getFrameworkCoverage: jest.fn().mockResolvedValue(coverage()),
    });
    await renderWithApis(<FrameworksTab />, { api });
    expect(
      await screen.findByText(
        /1 of 2 requirements are covered by at least one control/,
      ),
    ).toBeInTheDocument();
    expect(api.getFrameworkCoverage).toHaveBeenCalledWith({ framework: NIST });
    const ac2 = screen.getByText('AC-2').closest('tr')!;
    expect(within(ac2).getByText('Uncovered')).toBeInTheDocument();
    const sc8 = screen.getByText('SC-8').closest('tr')!;
    expect(within(sc8).getByText('Failing')).toBeInTheDocument();
    expect(within(sc8).getByText('2 passing · 1 failing')).toBeInTheDocument();
    expect(
      within(sc8).getByRole('link', { name: 'Encrypt data in transit' }),
    ).toBeInTheDocument();
  });

  it('drills into another framework', async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      listFrameworkImports: jest.fn().mockResolvedValue({ items: [] }),
      getFrameworkCoverage: jest.fn().mockResolvedValue(coverage()),
    });
    await renderWithApis(<FrameworksTab />, { api });
    await screen.findByText('SC-8');
    await userEvent.click(screen.getByLabelText('Framework'));
    await userEvent.click(
      await screen.findByRole('option', { name: /ISO\/IEC 27001:2022/ }),
    );
    await waitFor(() =>
      expect(api.getFrameworkCoverage).toHaveBeenLastCalledWith({
        framework: 'iso-27001-2022',
      }),
    );
  });

  it('shows a failed import with its reason and what stays in the catalog', async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      listFrameworkImports: jest
        .fn()
        .mockResolvedValue({ items: [failedImport] }),
      getFrameworkCoverage: jest.fn().mockResolvedValue(coverage()),
    });
    await renderWithApis(<FrameworksTab />, { api });
    const alert = await screen.findByText(/OSCAL import nist-low \(/);
    expect(alert).toHaveTextContent("must have required property 'title'");
    expect(alert).toHaveTextContent('(149 requirements) stays in the catalog');
  });

  it('says when there is no framework, and when the reader may not see coverage', async () => {
    const empty = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue({ items: [] }),
      listFrameworkImports: jest.fn().mockResolvedValue({ items: [] }),
    });
    const { unmount } = await renderWithApis(<FrameworksTab />, { api: empty });
    expect(await screen.findByText(/No framework yet/)).toBeInTheDocument();
    unmount();

    const refused = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      listFrameworkImports: jest.fn(async () =>
        Promise.reject(await forbidden()),
      ),
      getFrameworkCoverage: jest.fn(async () =>
        Promise.reject(await forbidden()),
      ),
    });
    await renderWithApis(<FrameworksTab />, { api: refused });
    expect(
      await screen.findByText(
        'You do not have permission to view framework coverage.',
      ),
    ).toBeInTheDocument();
  });

  it('is a tab of the security page for those who may read reports', async () => {
    const api = mockSecurityApi({
      listFrameworks: jest.fn().mockResolvedValue(frameworkList()),
      listFrameworkImports: jest.fn().mockResolvedValue({ items: [] }),
      getFrameworkCoverage: jest.fn().mockResolvedValue(coverage()),
    });
    await renderSecurityPage(api, '/frameworks');
    expect(
      await screen.findByRole('tab', { name: 'Frameworks' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('SC-8')).toBeInTheDocument();
  });
});
