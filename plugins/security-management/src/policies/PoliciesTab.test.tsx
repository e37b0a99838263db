import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PolicyStatement,
  SecurityPolicy,
} from '@open-itsm/plugin-security-management-common';
import {
  mockSecurityApi,
  pending,
  responseError,
} from '../__testUtils__/fixtures';
import { forbidden, renderSecurityPage } from '../__testUtils__/surfaces';
import { EXAMPLE_POLICY_YAML } from './PoliciesTab';

const ROOT = 'securitypolicy:default/it-security-policy';
const ACCESS = 'securitypolicy:default/access-control-policy';
const CRYPTO = 'securitypolicy:default/cryptography-policy';
const MFA = 'securitycontrol:default/mfa-admin-access';
const GHOST = 'securitycontrol:default/hardware-keys';

const zero = { passing: 0, failing: 0, overdue: 0, untested: 0, excepted: 0 };

function statement(overrides: Partial<PolicyStatement>): PolicyStatement {
  return {
    id: 'statement',
    text: 'Text.',
    controls: [],
    covered: false,
    applicableCount: 0,
    counts: zero,
    ...overrides,
  };
}

function policy(overrides: Partial<SecurityPolicy>): SecurityPolicy {
  return {
    ref: ROOT,
    title: 'IT Security Policy',
    owner: 'group:default/security-team',
    version: '3.0',
    status: 'approved',
    approver: 'user:default/ciso',
    approvedAt: '2026-01-15T00:00:00.000Z',
    reviewCadence: 'P1Y',
    nextReviewAt: '2027-01-15T00:00:00.000Z',
    reviewOverdue: false,
    childRefs: [],
    depth: 0,
    statements: [statement({ id: 'protect' })],
    coverage: { statements: 1, covered: 0 },
    warnings: [],
    ...overrides,
  };
}

const tree: SecurityPolicy[] = [
  policy({ childRefs: [ACCESS, CRYPTO] }),
  policy({
    ref: ACCESS,
    title: 'Access Control Policy',
    version: '1.1',
    parentRef: ROOT,
    depth: 1,
    approvedAt: '2025-03-01T00:00:00.000Z',
    nextReviewAt: '2026-03-01T00:00:00.000Z',
    reviewOverdue: true,
    statements: [
      statement({
        id: 'strong-authentication',
        title: 'Strong authentication',
        text: 'Administrators use a second factor.',
        controls: [
          {
            ref: MFA,
            exists: true,
            title: 'MFA for admin access',
            applicableCount: 5,
            counts: { ...zero, passing: 3, failing: 2 },
          },
          {
            ref: GHOST,
            exists: false,
            applicableCount: 0,
            counts: zero,
          },
        ],
        applicableCount: 5,
        counts: { ...zero, passing: 3, failing: 2 },
      }),
    ],
    warnings: [
      {
        kind: 'unknown-control',
        statementId: 'strong-authentication',
        ref: GHOST,
        message: `Statement 'strong-authentication' names ${GHOST}, which is not a valid SecurityControl in the catalog`,
      },
    ],
  }),
  policy({
    ref: CRYPTO,
    title: 'Cryptography Policy',
    status: 'draft',
    version: '0.9',
    approver: undefined,
    approvedAt: undefined,
    nextReviewAt: undefined,
    parentRef: ROOT,
    depth: 1,
    statements: [
      statement({
        id: 'tls',
        text: 'TLS 1.2 or newer.',
        controls: [
          {
            ref: 'securitycontrol:default/tls',
            exists: true,
            title: 'Encrypt data in transit',
            applicableCount: 4,
            counts: { ...zero, passing: 4 },
          },
        ],
        covered: true,
        applicableCount: 4,
        counts: { ...zero, passing: 4 },
      }),
    ],
    coverage: { statements: 1, covered: 1 },
  }),
];

function renderPolicies(listPolicies: jest.Mock) {
  return renderSecurityPage(mockSecurityApi({ listPolicies }), '/policies');
}

describe('PoliciesTab', () => {
  it('shows the policy tree with status, version, approval and review of each policy', async () => {
    await renderPolicies(jest.fn().mockResolvedValue({ items: tree }));

    const root = await screen.findByRole('region', {
      name: 'IT Security Policy',
    });
    expect(within(root).getByText('Approved')).toBeInTheDocument();
    expect(within(root).getByText('v3.0')).toBeInTheDocument();
    expect(root).toHaveTextContent('Approved by ciso on Jan 15, 2026');
    expect(root).toHaveTextContent('Next review Jan 15, 2027 (every year)');
    expect(within(root).queryByText('Review overdue')).toBeNull();

    // The underpinning policies are nested under the IT security policy.
    const below = screen.getByRole('list', {
      name: 'Policies under IT Security Policy',
    });
    expect(
      within(below)
        .getAllByRole('region')
        .map(region => region.getAttribute('aria-label')),
    ).toEqual(['Access Control Policy', 'Cryptography Policy']);

    expect(
      screen.getByText(/3 policies · 1 of 3 statements covered/),
    ).toBeInTheDocument();
    expect(screen.getByText(/1 review overdue/)).toBeInTheDocument();
  });

  it('flags a policy past its review date, and shows its warnings and coverage', async () => {
    await renderPolicies(jest.fn().mockResolvedValue({ items: tree }));
    const access = await screen.findByRole('region', {
      name: 'Access Control Policy',
    });
    expect(within(access).getByText('Review overdue')).toBeInTheDocument();
    expect(access).toHaveTextContent('Next review Mar 1, 2026');
    expect(within(access).getByRole('alert')).toHaveTextContent(
      `Statement 'strong-authentication' names ${GHOST}, which is not a valid SecurityControl in the catalog`,
    );

    const [, row] = within(
      within(access).getByRole('table', {
        name: 'Statements of Access Control Policy',
      }),
    ).getAllByRole('row');
    expect(row).toHaveTextContent('Strong authentication');
    expect(row).toHaveTextContent('Administrators use a second factor.');
    expect(
      within(row).getByRole('link', { name: 'MFA for admin access' }),
    ).toHaveAttribute('href', expect.stringContaining('mfa-admin-access'));
    expect(row).toHaveTextContent('applies to 5');
    expect(row).toHaveTextContent(`${GHOST} Not in the catalog`);
    expect(within(row).getByText('Not covered')).toBeInTheDocument();
    expect(
      within(row).getByRole('img', { name: '3 passing · 2 failing' }),
    ).toBeInTheDocument();
  });

  it('shows a draft as not approved and without a review date', async () => {
    await renderPolicies(jest.fn().mockResolvedValue({ items: tree }));
    const draft = await screen.findByRole('region', {
      name: 'Cryptography Policy',
    });
    expect(within(draft).getByText('Draft')).toBeInTheDocument();
    expect(draft).toHaveTextContent('Not approved');
    expect(draft).toHaveTextContent('no review date yet');
    expect(within(draft).getByText('Covered')).toBeInTheDocument();
    expect(draft).toHaveTextContent('1 of 1 statement covered');
  });

  it('explains how to write a policy when there is none', async () => {
    await renderPolicies(jest.fn().mockResolvedValue({ items: [] }));
    const heading = await screen.findByText(
      'No security policy in the catalog yet',
    );
    // The snippet, highlighted into many elements.
    expect(heading.parentElement).toHaveTextContent(
      'kind: SecurityPolicy metadata: name: access-control-policy',
    );
    expect(EXAMPLE_POLICY_YAML).toContain('controls: [mfa-admin-access]');
  });

  it('shows progress while loading', async () => {
    await renderPolicies(jest.fn(() => pending()));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows an error with Retry, and loads again', async () => {
    const listPolicies = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError({
          status: 500,
          name: 'Error',
          message: 'database down',
        }),
      )
      .mockResolvedValue({ items: tree });
    await renderPolicies(listPolicies);
    expect(
      await screen.findByText(/Could not view the security policies/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'IT Security Policy' }),
    ).toBeInTheDocument();
  });

  it('says so when the caller may not read posture', async () => {
    await renderPolicies(jest.fn().mockRejectedValue(await forbidden()));
    expect(
      await screen.findByText(
        'You do not have permission to view the security policies.',
      ),
    ).toBeInTheDocument();
  });
});
