import { ControlListItem } from '@open-itsm/plugin-security-management-common';
import { control } from '../__testUtils__/stores';
import { buildPolicyTree } from './policyTree';
import { StoredPolicy } from './PolicyStore';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const TLS = 'securitycontrol:default/tls';
const MFA = 'securitycontrol:default/mfa';
const UNUSED = 'securitycontrol:default/unused';
const GHOST = 'securitycontrol:default/no-such-control';

function listed(
  ref: string,
  counts: Partial<ControlListItem['counts']>,
): ControlListItem {
  const full = {
    passing: 0,
    failing: 0,
    overdue: 0,
    untested: 0,
    excepted: 0,
    ...counts,
  };
  return {
    ...control(ref, 'P90D'),
    applicableCount: Object.values(full).reduce((a, b) => a + b, 0),
    counts: full,
  };
}

const CONTROLS = [
  listed(TLS, { passing: 3, failing: 1 }),
  listed(MFA, { passing: 1, overdue: 1, untested: 2 }),
  listed(UNUSED, {}),
];

function policy(
  name: string,
  overrides: Partial<StoredPolicy> = {},
): StoredPolicy {
  return {
    ref: `securitypolicy:default/${name}`,
    title: name,
    owner: 'group:default/security-team',
    version: '1.0',
    status: 'approved',
    approver: 'user:default/ciso',
    approvedAt: '2026-01-01T00:00:00.000Z',
    reviewCadence: 'P1Y',
    nextReviewAt: '2027-01-01T00:00:00.000Z',
    statements: [{ id: 's', text: 'Text.', controlRefs: [TLS] }],
    ...overrides,
  };
}

const refOf = (name: string) => `securitypolicy:default/${name}`;

describe('buildPolicyTree', () => {
  it('orders the tree depth first, children by title, with parents, children and depth', () => {
    const tree = buildPolicyTree({
      policies: [
        policy('secure-development', {
          title: 'Secure Development',
          parentRef: refOf('it-security'),
        }),
        policy('access-control', {
          title: 'Access Control',
          parentRef: refOf('it-security'),
        }),
        policy('it-security', { title: 'IT Security' }),
        policy('privileged-access', {
          title: 'Privileged Access',
          parentRef: refOf('access-control'),
        }),
      ],
      controls: CONTROLS,
      now: NOW,
    });
    expect(tree.map(p => [p.title, p.depth, p.parentRef, p.childRefs])).toEqual(
      [
        [
          'IT Security',
          0,
          undefined,
          [
            'securitypolicy:default/access-control',
            'securitypolicy:default/secure-development',
          ],
        ],
        [
          'Access Control',
          1,
          'securitypolicy:default/it-security',
          ['securitypolicy:default/privileged-access'],
        ],
        ['Privileged Access', 2, 'securitypolicy:default/access-control', []],
        ['Secure Development', 1, 'securitypolicy:default/it-security', []],
      ],
    );
  });

  it('gives each statement the coverage of its controls, and sums it', () => {
    const [root] = buildPolicyTree({
      policies: [
        policy('root', {
          statements: [
            { id: 'both', text: 'Two controls.', controlRefs: [TLS, MFA] },
            { id: 'unused', text: 'Applies nowhere.', controlRefs: [UNUSED] },
            { id: 'none', text: 'No control yet.', controlRefs: [] },
          ],
        }),
      ],
      controls: CONTROLS,
      now: NOW,
    });
    const [both, unused, none] = root.statements;
    expect(both).toEqual({
      id: 'both',
      title: undefined,
      text: 'Two controls.',
      controls: [
        {
          ref: TLS,
          exists: true,
          title: 'TLS',
          applicableCount: 4,
          counts: {
            passing: 3,
            failing: 1,
            overdue: 0,
            untested: 0,
            excepted: 0,
          },
        },
        {
          ref: MFA,
          exists: true,
          title: 'MFA',
          applicableCount: 4,
          counts: {
            passing: 1,
            failing: 0,
            overdue: 1,
            untested: 2,
            excepted: 0,
          },
        },
      ],
      covered: true,
      applicableCount: 8,
      counts: { passing: 4, failing: 1, overdue: 1, untested: 2, excepted: 0 },
    });
    expect(unused.covered).toBe(false);
    expect(none.covered).toBe(false);
    expect(root.coverage).toEqual({ statements: 3, covered: 1 });
    expect(root.warnings).toEqual([]);
  });

  it('warns on the policy about a statement naming a control that does not exist', () => {
    const [root] = buildPolicyTree({
      policies: [
        policy('root', {
          statements: [
            { id: 'real', text: 'Fine.', controlRefs: [TLS] },
            { id: 'typo', text: 'Names a ghost.', controlRefs: [TLS, GHOST] },
          ],
        }),
      ],
      controls: CONTROLS,
      now: NOW,
    });
    expect(root.statements[1].controls[1]).toEqual({
      ref: GHOST,
      exists: false,
      applicableCount: 0,
      counts: { passing: 0, failing: 0, overdue: 0, untested: 0, excepted: 0 },
    });
    expect(root.statements[1].covered).toBe(false);
    expect(root.statements[1].applicableCount).toBe(4);
    expect(root.warnings).toEqual([
      {
        kind: 'unknown-control',
        statementId: 'typo',
        ref: GHOST,
        message:
          "Statement 'typo' names securitycontrol:default/no-such-control, which is not a valid SecurityControl in the catalog",
      },
    ]);
  });

  it('flags an approved policy whose review is due now or earlier, and no draft or retired one', () => {
    const tree = buildPolicyTree({
      policies: [
        policy('a-past', { nextReviewAt: '2026-05-31T23:59:59.999Z' }),
        policy('b-now', { nextReviewAt: NOW.toISOString() }),
        policy('c-future', { nextReviewAt: '2026-06-01T00:00:00.001Z' }),
        policy('d-draft', {
          status: 'draft',
          nextReviewAt: '2026-01-01T00:00:00.000Z',
        }),
        policy('e-retired', {
          status: 'retired',
          nextReviewAt: '2026-01-01T00:00:00.000Z',
        }),
        policy('f-never', { status: 'draft', nextReviewAt: undefined }),
      ],
      controls: CONTROLS,
      now: NOW,
    });
    expect(tree.map(p => [p.title, p.reviewOverdue])).toEqual([
      ['a-past', true],
      ['b-now', true],
      ['c-future', false],
      ['d-draft', false],
      ['e-retired', false],
      ['f-never', false],
    ]);
  });

  it('shows a policy whose parent is missing, or whose parents form a cycle, at the top with a warning', () => {
    const tree = buildPolicyTree({
      policies: [
        policy('orphan', { parentRef: refOf('gone') }),
        policy('ping', { parentRef: refOf('pong') }),
        policy('pong', { parentRef: refOf('ping') }),
        policy('under-ping', { parentRef: refOf('ping') }),
      ],
      controls: CONTROLS,
      now: NOW,
    });
    expect(tree.map(p => [p.title, p.depth, p.parentRef])).toEqual([
      ['orphan', 0, undefined],
      ['ping', 0, undefined],
      ['under-ping', 1, refOf('ping')],
      ['pong', 0, undefined],
    ]);
    expect(tree[0].warnings).toEqual([
      expect.objectContaining({ kind: 'unknown-parent', ref: refOf('gone') }),
    ]);
    expect(tree[1].warnings).toEqual([
      expect.objectContaining({ kind: 'parent-cycle', ref: refOf('pong') }),
    ]);
    expect(tree[3].warnings).toEqual([
      expect.objectContaining({ kind: 'parent-cycle', ref: refOf('ping') }),
    ]);
    expect(tree[2].warnings).toEqual([]);
  });
});
