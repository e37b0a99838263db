import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  entityApi,
  MockSecurityApi,
  mockSecurityApi,
  pending,
  renderWithApis,
  responseError,
} from '../__testUtils__/fixtures';
import {
  advisory,
  componentSource,
  entityAdvisories,
  finding,
} from '../__testUtils__/advisories';
import { renderEntityTab } from '../__testUtils__/surfaces';
import { SecurityDataProvider } from '../lib/data';
import { EntityAdvisoriesSection } from './EntityAdvisoriesSection';

const UPDATE = 'security-management.advisory.update';

function renderSection(api: MockSecurityApi, allow: string[] = [UPDATE]) {
  return renderWithApis(
    <SecurityDataProvider>
      <EntityAdvisoriesSection entityRef="component:default/shop" />
    </SecurityDataProvider>,
    { api, allow },
  );
}

const log4shell = finding({
  id: 'f-2',
  advisory: advisory({
    id: 'CVE-2021-44228',
    source: 'kev',
    feedId: 'cisa-kev',
    summary: 'Apache Log4j2 Remote Code Execution Vulnerability',
    severity: 'critical',
    aliases: [],
    references: [],
    knownExploited: true,
    kevRequiredAction: 'Apply updates per vendor instructions.',
    kevDueDate: '2021-12-24',
  }),
  overdue: true,
  matches: [
    {
      ecosystem: 'kev',
      package: 'Apache:Log4j2',
      installedVersion: 'any',
      affectedRange: 'all versions',
      source: 'kev-product',
    },
  ],
});

/** The table row that holds a text. */
async function rowOf(text: string) {
  return (await screen.findByText(text)).closest('tr')!;
}

describe('EntityAdvisoriesSection', () => {
  it('is part of the Security tab', async () => {
    const api = entityApi({
      getEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
    });
    await renderEntityTab(api);
    expect(
      await screen.findByText('ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)'),
    ).toBeInTheDocument();
    expect(api.getEntityAdvisories).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
      all: undefined,
    });
  });

  it('shows each advisory with the reason it matches and whether it is exploited', async () => {
    await renderSection(
      mockSecurityApi({
        getEntityAdvisories: jest
          .fn()
          .mockResolvedValue(
            entityAdvisories({ findings: [finding(), log4shell] }),
          ),
      }),
    );
    const ws = await rowOf('ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)');
    expect(
      within(ws).getByRole('link', { name: /^GHSA-3h5v-q93c-6h6q/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/websockets/ws/security/advisories/GHSA-3h5v-q93c-6h6q',
    );
    expect(within(ws).getByText('High')).toBeInTheDocument();
    expect(within(ws).getByText('Open')).toBeInTheDocument();
    expect(within(ws).queryByText('Known exploited')).toBeNull();
    expect(within(ws).queryByText(/Overdue/)).toBeNull();

    const log4j = await rowOf('Apache:Log4j2 any — all versions (KEV product)');
    expect(
      within(log4j).getByRole('link', { name: /^CVE-2021-44228/ }),
    ).toHaveAttribute(
      'href',
      'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
    );
    expect(within(log4j).getByText('Known exploited')).toBeInTheDocument();
    expect(within(log4j).getByText('Critical')).toBeInTheDocument();
    expect(within(log4j).getByText(/Overdue/)).toBeInTheDocument();
    expect(
      within(log4j).getAllByText(
        /Required action: Apply updates per vendor instructions\..*CISA due date: Dec 24, 2021/,
      ).length,
    ).toBeGreaterThan(0);

    expect(
      screen.getByText('2 active · 1 overdue · 1 known exploited'),
    ).toBeInTheDocument();
    expect(screen.getByText(/412 components/)).toBeInTheDocument();
  });

  it('needs a VEX justification to declare the entity not affected', async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest
        .fn()
        .mockResolvedValueOnce(entityAdvisories())
        .mockResolvedValue(
          entityAdvisories({
            findings: [
              finding({
                status: 'not-affected',
                justification: 'vulnerable_code_not_in_execute_path',
                note: 'We never start a ws server',
              }),
            ],
          }),
        ),
      transitionAdvisoryFinding: jest.fn().mockResolvedValue(finding()),
    });
    await renderSection(api);
    const row = await rowOf('ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Not affected' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Why the entity is not affected/),
      'We never start a ws server',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Not affected' }),
    );
    expect(
      within(dialog).getByText('Choose why the entity is not affected'),
    ).toBeInTheDocument();
    expect(api.transitionAdvisoryFinding).not.toHaveBeenCalled();

    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Justification/),
      within(dialog).getByRole('option', {
        name: 'Vulnerable code not in execute path',
      }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Not affected' }),
    );
    await waitFor(() =>
      expect(api.transitionAdvisoryFinding).toHaveBeenCalledWith({
        id: 'f-1',
        status: 'not-affected',
        justification: 'vulnerable_code_not_in_execute_path',
        note: 'We never start a ws server',
      }),
    );
    expect(
      await screen.findByText(
        'Not affected — vulnerable code not in execute path',
      ),
    ).toBeInTheDocument();
    expect(api.getEntityAdvisories).toHaveBeenCalledTimes(2);
  });

  it('needs a note to mark a finding mitigated', async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
      transitionAdvisoryFinding: jest.fn().mockResolvedValue(finding()),
    });
    await renderSection(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Mitigated' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).queryByLabelText(/Justification/)).toBeNull();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mitigated' }),
    );
    expect(
      within(dialog).getByText('Say what was done or why'),
    ).toBeInTheDocument();
    expect(api.transitionAdvisoryFinding).not.toHaveBeenCalled();
  });

  it('acknowledges a finding and reloads the section', async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
      transitionAdvisoryFinding: jest
        .fn()
        .mockResolvedValue(finding({ status: 'acknowledged' })),
    });
    await renderSection(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Acknowledge' }),
    );
    await waitFor(() =>
      expect(api.transitionAdvisoryFinding).toHaveBeenCalledWith({
        id: 'f-1',
        status: 'acknowledged',
      }),
    );
    await waitFor(() =>
      expect(api.getEntityAdvisories).toHaveBeenCalledTimes(2),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("shows the server's refusal in the dialog", async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
      transitionAdvisoryFinding: jest.fn().mockRejectedValue(
        await responseError({
          status: 409,
          name: 'ConflictError',
          message: 'The finding is already resolved',
        }),
      ),
    });
    await renderSection(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/How it was fixed/),
      'Upgraded ws to 8.17.1',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    );
    expect(
      await within(dialog).findByText('The finding is already resolved'),
    ).toBeInTheDocument();
    expect(api.getEntityAdvisories).toHaveBeenCalledTimes(1);
  });

  it('offers only Reopen on a closed finding, and shows every status on request', async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest.fn(async ({ all }) =>
        entityAdvisories({
          findings: all
            ? [finding({ status: 'resolved', note: 'Upgraded ws' })]
            : [],
        }),
      ),
    });
    await renderSection(api);
    expect(
      await screen.findByText('No known advisory affects this entity.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Show all' }));
    expect(await screen.findByText('Upgraded ws')).toBeInTheDocument();
    expect(api.getEntityAdvisories).toHaveBeenLastCalledWith({
      entityRef: 'component:default/shop',
      all: true,
    });
    expect(screen.getByRole('button', { name: 'Reopen' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('re-reads the components of the entity', async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
      refreshEntityAdvisories: jest.fn().mockResolvedValue(entityAdvisories()),
    });
    await renderSection(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-read components' }),
    );
    await waitFor(() =>
      expect(api.refreshEntityAdvisories).toHaveBeenCalledWith({
        entityRef: 'component:default/shop',
      }),
    );
    await waitFor(() =>
      expect(api.getEntityAdvisories).toHaveBeenCalledTimes(2),
    );
  });

  it('explains how to declare components when the entity declares none', async () => {
    await renderSection(
      mockSecurityApi({
        getEntityAdvisories: jest
          .fn()
          .mockResolvedValue(entityAdvisories({ findings: [], sources: [] })),
      }),
    );
    expect(
      await screen.findByText(/declares no components/),
    ).toBeInTheDocument();
    for (const annotation of [
      'security.open-itsm.dev/sbom',
      'security.open-itsm.dev/purls',
      'security.open-itsm.dev/kev-products',
    ]) {
      expect(screen.getByText(annotation)).toBeInTheDocument();
    }
    expect(
      screen.queryByText('No known advisory affects this entity.'),
    ).toBeNull();
  });

  it('says no known advisory affects an entity whose components match none', async () => {
    await renderSection(
      mockSecurityApi({
        getEntityAdvisories: jest
          .fn()
          .mockResolvedValue(entityAdvisories({ findings: [] })),
      }),
    );
    expect(
      await screen.findByText('No known advisory affects this entity.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/declares no components/)).toBeNull();
  });

  it('shows an SBOM that could not be read as an error with its message', async () => {
    await renderSection(
      mockSecurityApi({
        getEntityAdvisories: jest.fn().mockResolvedValue(
          entityAdvisories({
            findings: [],
            sources: [
              componentSource({
                status: 'error',
                error: 'not a CycloneDX document: Unexpected token } at 1203',
                componentCount: 0,
              }),
              componentSource({
                kind: 'purl',
                location: 'security.open-itsm.dev/purls',
                componentCount: 2,
                warnings: ["'pkg:npm/left-pad' has no version: skipped"],
              }),
            ],
          }),
        ),
      }),
    );
    expect(
      await screen.findByText(
        'not a CycloneDX document: Unexpected token } at 1203',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/SBOM could not be read/)).toBeInTheDocument();
    expect(screen.getByText(/2 components/)).toBeInTheDocument();
    expect(
      screen.getByText("'pkg:npm/left-pad' has no version: skipped"),
    ).toBeInTheDocument();
  });

  it('shows progress, then an error with Retry', async () => {
    const api = mockSecurityApi({
      getEntityAdvisories: jest
        .fn()
        .mockRejectedValueOnce(new Error('Network down'))
        .mockResolvedValue(entityAdvisories({ findings: [] })),
    });
    await renderSection(api);
    expect(
      await screen.findByText(/Could not view advisories/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('No known advisory affects this entity.'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderSection(
      mockSecurityApi({ getEntityAdvisories: jest.fn(() => pending()) }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });
});
