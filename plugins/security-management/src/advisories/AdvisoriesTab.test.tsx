import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockSecurityApi } from '../__testUtils__/fixtures';
import {
  advisory,
  componentSource,
  countsOf,
  feed,
  finding,
} from '../__testUtils__/advisories';
import { renderSecurityPage } from '../__testUtils__/surfaces';

const exploited = finding({
  id: 'f-2',
  entityRef: 'component:default/billing',
  entityTitle: 'Billing service',
  owner: 'group:default/finance',
  advisory: advisory({
    id: 'CVE-2021-44228',
    source: 'kev',
    severity: 'critical',
    knownExploited: true,
    references: [],
    kevDueDate: '2021-12-24',
    kevRequiredAction: 'Apply updates per vendor instructions.',
  }),
  overdue: true,
});

// Every filter reloads the table; on a busy machine that adds up.
jest.setTimeout(30_000);

function pageApi() {
  const items = [finding(), exploited];
  return mockSecurityApi({
    listAdvisoryFindings: jest.fn().mockResolvedValue({
      items,
      totalCount: 60,
      counts: { ...countsOf(items), total: 60, overdue: 7 },
    }),
    getAdvisoryFeeds: jest.fn().mockResolvedValue({
      feeds: [
        feed(),
        feed({
          id: 'cisa-kev',
          type: 'kev',
          target: 'https://www.cisa.gov/known_exploited_vulnerabilities.json',
          status: 'error',
          error: 'HTTP 503 Service Unavailable; kept the previous catalog',
          advisoryCount: 1239,
        }),
      ],
      componentErrors: [
        componentSource({
          entityRef: 'component:default/billing',
          status: 'error',
          error: 'SBOM not found at ./sbom.cdx.json (404)',
          componentCount: 0,
        }),
      ],
    }),
    refreshAdvisories: jest.fn().mockResolvedValue({
      feeds: [feed(), feed({ id: 'cisa-kev', type: 'kev', status: 'error' })],
      entitiesMatched: 14,
      findingsOpened: 3,
      findingsResolved: 1,
    }),
  });
}

describe('SecurityManagementTabs', () => {
  describe('Advisories', () => {
    it('lists active findings with their counts, entity and reasons', async () => {
      const api = pageApi();
      await renderSecurityPage(api, '/advisories');
      expect(
        await screen.findByRole('link', { name: 'Billing service' }),
      ).toBeInTheDocument();
      expect(api.listAdvisoryFindings).toHaveBeenCalledWith({
        status: ['open', 'acknowledged'],
        severity: undefined,
        knownExploited: undefined,
        overdue: undefined,
        owner: undefined,
        limit: 25,
        offset: 0,
      });
      const counts = screen.getByRole('group', { name: 'Counts' });
      expect(within(counts).getByText('60')).toBeInTheDocument();
      expect(within(counts).getByText('7')).toBeInTheDocument();
      expect(
        within(counts).getByText('Known exploited').previousSibling,
      ).toHaveTextContent('1');

      const row = screen.getByText('Billing service').closest('tr')!;
      expect(within(row).getByText('Known exploited')).toBeInTheDocument();
      expect(within(row).getByText(/Overdue/)).toBeInTheDocument();
      expect(
        within(row).getByText('ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)'),
      ).toBeInTheDocument();
      expect(screen.getByText(/^1\D25 of 60$/)).toBeInTheDocument();
    });

    it('asks the API for what the filters select', async () => {
      const api = pageApi();
      await renderSecurityPage(api, '/advisories');
      await screen.findByText('Billing service');

      const severity = screen.getByRole('group', { name: 'Severity' });
      await userEvent.click(
        within(severity).getByRole('button', { name: 'Critical' }),
      );
      await userEvent.click(
        within(severity).getByRole('button', { name: 'High' }),
      );
      const status = screen.getByRole('group', { name: 'Status' });
      await userEvent.click(
        within(status).getByRole('button', { name: 'Not affected' }),
      );
      await userEvent.click(screen.getByLabelText('Known exploited only'));
      await userEvent.click(screen.getByLabelText('Overdue only'));
      const owner = screen.getByLabelText('Owner');
      await userEvent.click(owner);
      await userEvent.paste('not a ref!');
      await userEvent.click(screen.getByText('Apply'));
      expect(
        screen.getByText('Enter a group ref such as group:default/payments'),
      ).toBeInTheDocument();
      await userEvent.clear(owner);
      await userEvent.paste('group:default/payments');
      await userEvent.click(screen.getByText('Apply'));

      await waitFor(() =>
        expect(api.listAdvisoryFindings).toHaveBeenLastCalledWith({
          status: ['open', 'acknowledged', 'not-affected'],
          severity: ['critical', 'high'],
          knownExploited: true,
          overdue: true,
          owner: 'group:default/payments',
          limit: 25,
          offset: 0,
        }),
      );
      expect(
        api.listAdvisoryFindings.mock.calls.some(
          ([query]) => query?.owner === 'not a ref!',
        ),
      ).toBe(false);
    });

    it('pages through the findings', async () => {
      const api = pageApi();
      await renderSecurityPage(api, '/advisories');
      await screen.findByText('Billing service');
      await userEvent.click(screen.getByLabelText('Next page'));
      await waitFor(() =>
        expect(api.listAdvisoryFindings).toHaveBeenLastCalledWith(
          expect.objectContaining({ limit: 25, offset: 25 }),
        ),
      );
    });

    it("shows a failed feed's error and the components that could not be read", async () => {
      await renderSecurityPage(pageApi(), '/advisories');
      expect(
        await screen.findByText(
          'HTTP 503 Service Unavailable; kept the previous catalog',
        ),
      ).toBeInTheDocument();
      const kev = screen.getByText('cisa-kev').closest('tr')!;
      expect(within(kev).getByText('Failed')).toBeInTheDocument();
      expect(within(kev).getByText('CISA KEV')).toBeInTheDocument();
      const ok = screen.getByText('github-npm').closest('tr')!;
      expect(within(ok).getByText('OK')).toBeInTheDocument();
      expect(within(ok).getByText('4210')).toBeInTheDocument();

      expect(
        screen.getByText('SBOM not found at ./sbom.cdx.json (404)'),
      ).toBeInTheDocument();
      expect(
        screen
          .getAllByRole('link', { name: /billing/ })
          .some(
            a =>
              a.getAttribute('href') === '/catalog/default/component/billing',
          ),
      ).toBe(true);
    });

    it('reads the feeds now and says what came of it', async () => {
      const api = pageApi();
      await renderSecurityPage(api, '/advisories');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Read feeds now' }),
      );
      expect(
        await screen.findByText(
          'Read 2 feeds (1 failed); 14 entities matched, 3 findings opened, 1 resolved.',
        ),
      ).toBeInTheDocument();
      expect(api.refreshAdvisories).toHaveBeenCalledTimes(1);
      await waitFor(() =>
        expect(api.getAdvisoryFeeds).toHaveBeenCalledTimes(2),
      );
      await waitFor(() =>
        expect(api.listAdvisoryFindings).toHaveBeenCalledTimes(2),
      );
    });

    it('says when no finding matches the filters', async () => {
      const api = pageApi();
      api.listAdvisoryFindings.mockResolvedValue({
        items: [],
        totalCount: 0,
        counts: countsOf([]),
      });
      await renderSecurityPage(api, '/advisories');
      expect(
        await screen.findByText('No advisory finding matches these filters.'),
      ).toBeInTheDocument();
    });
  });
});
