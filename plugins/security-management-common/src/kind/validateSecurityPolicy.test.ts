import { Entity } from '@backstage/catalog-model';
import {
  parsePolicyDate,
  policyNextReviewAt,
  securityPolicyProblems,
  validateSecurityPolicyEntity,
} from './validateSecurityPolicy';

function policy(spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name: 'access-control-policy', title: 'Access Control Policy' },
    spec: {
      owner: 'group:default/security-team',
      version: '1.2.0',
      status: 'approved',
      approval: { approver: 'user:default/ciso', approvedAt: '2026-03-01' },
      review: { cadence: 'P1Y' },
      parent: 'it-security-policy',
      statements: [
        {
          id: 'mfa-for-admins',
          title: 'Strong authentication',
          text: 'Administrative access requires multi-factor authentication.',
          controls: [
            'mfa-admin-access',
            'securitycontrol:default/audit-logging',
          ],
        },
        {
          id: 'least-privilege',
          text: 'Access is granted on the principle of least privilege.',
          controls: [],
        },
      ],
      ...spec,
    },
  };
}

function statement(fields: Record<string, unknown>) {
  return { id: 's1', text: 'Do the right thing.', controls: [], ...fields };
}

function withoutSpecField(field: string): Entity {
  const entity = policy();
  delete (entity.spec as Record<string, unknown>)[field];
  return entity;
}

describe('securityPolicyProblems', () => {
  it('finds no problem in a valid policy', () => {
    expect(securityPolicyProblems(policy())).toEqual([]);
    expect(validateSecurityPolicyEntity(policy())).toBe(true);
  });

  it('accepts a draft without approval or parent, and a date-time approval', () => {
    const draft = policy({ status: 'draft' });
    delete draft.spec!.approval;
    delete draft.spec!.parent;
    expect(securityPolicyProblems(draft)).toEqual([]);
    expect(
      securityPolicyProblems(
        policy({
          approval: {
            approver: 'ciso',
            approvedAt: '2026-03-01T09:30:00+01:00',
          },
          review: { cadence: 'P6M', nextReviewAt: '2026-09-01' },
        }),
      ),
    ).toEqual([]);
  });

  it.each(['owner', 'version', 'status', 'review', 'statements'])(
    'names the missing required field spec.%s',
    field => {
      expect(securityPolicyProblems(withoutSpecField(field))).toEqual([
        `spec.${field} is required`,
      ]);
    },
  );

  it('requires an approval when approved, and not otherwise', () => {
    expect(securityPolicyProblems(withoutSpecField('approval'))).toEqual([
      "spec.approval is required when spec.status is 'approved': name the approver and the approval date",
    ]);
    const retired = policy({ status: 'retired' });
    delete retired.spec!.approval;
    expect(securityPolicyProblems(retired)).toEqual([]);
  });

  it('names the missing approver and approval date', () => {
    expect(securityPolicyProblems(policy({ approval: {} }))).toEqual([
      'spec.approval.approver is required',
      'spec.approval.approvedAt is required',
    ]);
  });

  it('names an unknown status', () => {
    expect(securityPolicyProblems(policy({ status: 'published' }))).toEqual([
      "spec.status must be one of 'draft', 'approved', 'retired'",
    ]);
  });

  it('tells to quote a version YAML read as a number', () => {
    expect(securityPolicyProblems(policy({ version: 1.1 }))).toEqual([
      "spec.version must be of type string; quote it in YAML, e.g. '1.1'",
    ]);
  });

  it.each(['1 year', 'P0D', '', 'yearly'])(
    'rejects the review cadence %p',
    cadence => {
      expect(securityPolicyProblems(policy({ review: { cadence } }))).toEqual([
        `spec.review.cadence '${cadence}' is not a positive ISO-8601 duration such as P1Y`,
      ]);
    },
  );

  it.each(['01/03/2026', '2026-02-30', '2026-03-01T10:00:00', 'tomorrow'])(
    'rejects the dates %p',
    date => {
      expect(
        securityPolicyProblems(
          policy({
            approval: { approver: 'ciso', approvedAt: date },
            review: { cadence: 'P1Y', nextReviewAt: date },
          }),
        ),
      ).toEqual([
        `spec.approval.approvedAt '${date}' is not an ISO-8601 date such as 2026-03-01 (or a date-time with an offset)`,
        `spec.review.nextReviewAt '${date}' is not an ISO-8601 date such as 2026-03-01 (or a date-time with an offset)`,
      ]);
    },
  );

  it('names refs that are malformed or of the wrong kind', () => {
    expect(
      securityPolicyProblems(
        policy({
          owner: 'user:default/jane',
          approval: {
            approver: 'group:security-team',
            approvedAt: '2026-03-01',
          },
          parent: 'component:payments-api',
        }),
      ),
    ).toEqual([
      "spec.owner 'user:default/jane' must name a group",
      "spec.approval.approver 'group:security-team' must name a user",
      "spec.parent 'component:payments-api' must name a SecurityPolicy",
    ]);
    expect(securityPolicyProblems(policy({ owner: 'group:a:b' }))).toEqual([
      "spec.owner 'group:a:b' is not a valid entity ref; expected [kind:][namespace/]name",
    ]);
  });

  it('refuses a policy that is its own parent', () => {
    expect(
      securityPolicyProblems(
        policy({ parent: 'securitypolicy:default/access-control-policy' }),
      ),
    ).toEqual(['spec.parent names the policy itself']);
  });

  it('needs at least one statement', () => {
    expect(securityPolicyProblems(policy({ statements: [] }))).toEqual([
      'spec.statements must hold at least one statement',
    ]);
  });

  it('names each bad statement field', () => {
    expect(
      securityPolicyProblems(
        policy({
          statements: [
            statement({ id: 'MFA for admins' }),
            { id: 's2', controls: [] },
            { id: 's3', text: 'No controls listed.' },
            statement({ id: 's4', controls: ['component:payments-api'] }),
            statement({ id: 's5', controls: ['a:b:c'], owner: 'x' }),
          ],
        }),
      ),
    ).toEqual([
      "spec.statements[0].id 'MFA for admins' may hold only lower-case letters, digits and dashes",
      'spec.statements[1].text is required',
      'spec.statements[2].controls is required',
      'spec.statements[4].owner is not a known field',
      "spec.statements[3].controls[0] 'component:payments-api' must name a SecurityControl",
      "spec.statements[4].controls[0] 'a:b:c' is not a valid entity ref; expected [kind:][namespace/]name",
    ]);
  });

  it('names a statement id used twice', () => {
    expect(
      securityPolicyProblems(
        policy({
          statements: [
            statement({ id: 'mfa' }),
            statement({ id: 'logs' }),
            statement({ id: 'mfa' }),
          ],
        }),
      ),
    ).toEqual([
      "spec.statements[2].id 'mfa' is also the id of spec.statements[0]; ids must be unique within the policy",
    ]);
  });

  it('names over-long text with its length, and accepts text at the limits', () => {
    const long = policy({
      version: 'v'.repeat(51),
      statements: [
        statement({ title: 't'.repeat(201), text: 'x'.repeat(5001) }),
      ],
    });
    long.metadata.title = 't'.repeat(201);
    long.metadata.description = 'd'.repeat(2001);
    expect(securityPolicyProblems(long)).toEqual([
      'metadata.title is 201 characters long; the most is 200',
      'metadata.description is 2001 characters long; the most is 2000',
      'spec.version is 51 characters long; the most is 50',
      'spec.statements[0].title is 201 characters long; the most is 200',
      'spec.statements[0].text is 5001 characters long; the most is 5000',
    ]);
    const atLimits = policy({
      version: 'v'.repeat(50),
      statements: [
        statement({ title: 't'.repeat(200), text: 'x'.repeat(5000) }),
      ],
    });
    atLimits.metadata.title = 't'.repeat(200);
    atLimits.metadata.description = 'd'.repeat(2000);
    expect(securityPolicyProblems(atLimits)).toEqual([]);
  });

  it('names every text that holds a NUL character', () => {
    const entity = policy({
      statements: [statement({ text: 'all\u0000access' })],
    });
    entity.metadata.title = 'Access\u0000';
    expect(securityPolicyProblems(entity)).toEqual([
      'metadata.title must not contain NUL characters',
      'spec.statements[0].text must not contain NUL characters',
    ]);
  });

  it('does not crash on a spec of the wrong shape', () => {
    expect(securityPolicyProblems(policy({ statements: 'all' }))).toEqual([
      'spec.statements must be of type array',
    ]);
    const entity = policy();
    entity.spec = 'nope' as unknown as Entity['spec'];
    expect(securityPolicyProblems(entity)).toEqual([
      'spec must be of type object',
    ]);
  });
});

describe('validateSecurityPolicyEntity', () => {
  it('throws one TypeError listing every problem', () => {
    const entity = policy({ owner: 'group:', status: 'live' });
    expect(() => validateSecurityPolicyEntity(entity)).toThrow(
      /^Invalid SecurityPolicy access-control-policy: .*spec\.status.*; .*spec\.owner 'group:'/,
    );
  });

  it('rejects another version of our API group, ignores other kinds', () => {
    expect(() =>
      validateSecurityPolicyEntity({
        ...policy(),
        apiVersion: 'security.open-itsm.dev/v1beta1',
      }),
    ).toThrow(
      "apiVersion 'security.open-itsm.dev/v1beta1' is not supported for SecurityPolicy; use 'security.open-itsm.dev/v1alpha1'",
    );
    expect(
      validateSecurityPolicyEntity({ ...policy(), kind: 'SecurityControl' }),
    ).toBe(false);
    expect(
      validateSecurityPolicyEntity({
        ...policy(),
        apiVersion: 'example.com/v1',
      }),
    ).toBe(false);
  });
});

describe('policy dates', () => {
  it('reads a date as midnight UTC and a date-time at its offset', () => {
    expect(parsePolicyDate('2026-03-01')).toBe(Date.parse('2026-03-01T00:00Z'));
    expect(parsePolicyDate('2026-03-01T09:30:00+01:00')).toBe(
      Date.parse('2026-03-01T08:30:00Z'),
    );
    expect(parsePolicyDate('2026-13-01')).toBeUndefined();
    expect(parsePolicyDate(20260301)).toBeUndefined();
  });

  it('takes the next review from the policy, else the approval date plus the cadence', () => {
    const approval = { approver: 'ciso', approvedAt: '2026-01-31' };
    expect(policyNextReviewAt({ approval, review: { cadence: 'P1M' } })).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(
      policyNextReviewAt({
        approval,
        review: { cadence: 'P1Y', nextReviewAt: '2026-06-30' },
      }),
    ).toBe('2026-06-30T00:00:00.000Z');
    expect(policyNextReviewAt({ review: { cadence: 'P1Y' } })).toBeUndefined();
  });
});
