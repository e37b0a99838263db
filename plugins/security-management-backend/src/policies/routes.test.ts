import { Entity } from '@backstage/catalog-model';
import {
  SECURITY_POLICY_API_VERSION,
  SecurityPolicy,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  auditorEvent,
  refs,
  setPermissions,
  startSecurityBackend,
  testCatalog,
} from '../__testUtils__/securityBackend';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const DAY = 24 * 3600_000;

jest.setTimeout(30_000);

function isoDate(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().slice(0, 10);
}

function policy(
  name: string,
  title: string,
  spec: Record<string, unknown>,
): Entity {
  return {
    apiVersion: SECURITY_POLICY_API_VERSION,
    kind: 'SecurityPolicy',
    metadata: { name, namespace: 'default', title },
    spec: {
      owner: 'security-team',
      version: '1.0.0',
      status: 'approved',
      approval: { approver: 'ciso', approvedAt: isoDate(-30 * DAY) },
      review: { cadence: 'P1Y' },
      ...spec,
    },
  };
}

const ROOT = 'securitypolicy:default/it-security-policy';
const ACCESS = 'securitypolicy:default/access-control-policy';
const CRYPTO = 'securitypolicy:default/cryptography-policy';
const GHOST = 'securitycontrol:default/no-such-control';

/** The test catalog, with a small policy tree on top. */
function catalogWithPolicies(): Entity[] {
  return [
    ...testCatalog(),
    policy('it-security-policy', 'IT Security Policy', {
      version: '3.0',
      statements: [
        {
          id: 'protect-data',
          text: 'Customer data is protected in transit.',
          controls: ['encrypt-data-in-transit'],
        },
      ],
    }),
    // Its review was due yesterday: approved a year and a day ago.
    policy('access-control-policy', 'Access Control Policy', {
      parent: 'it-security-policy',
      approval: {
        approver: 'user:default/ciso',
        approvedAt: new Date(Date.now() - 366 * DAY).toISOString(),
      },
      statements: [
        {
          id: 'strong-auth',
          title: 'Strong authentication',
          text: 'Administrators use a second factor.',
          controls: ['mfa-admin-access', 'no-such-control'],
        },
      ],
    }),
    policy('cryptography-policy', 'Cryptography Policy', {
      parent: 'it-security-policy',
      status: 'draft',
      approval: undefined,
      statements: [
        {
          id: 'tls',
          text: 'TLS 1.2 or newer everywhere.',
          controls: ['securitycontrol:default/encrypt-data-in-transit'],
        },
      ],
    }),
    // Invalid (no statements): skipped by the sync; the catalog shows why.
    policy('broken-policy', 'Broken', { statements: [] }),
  ];
}

describe('policy routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend({ entities: catalogWithPolicies() });
    await ctx.scheduler.triggerTask('security-management-policy-sync');
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  function get(path: string) {
    return request(ctx.server).get(`${base}${path}`).set(as.user());
  }

  it('refuses both routes without posture.read', async () => {
    setPermissions(ctx.permissions, allow('security-management.report.read'));
    expect((await get('/policies')).status).toBe(403);
    expect((await get('/policies/it-security-policy')).status).toBe(403);
  });

  it('refuses a caller without a token', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const res = await request(ctx.server).get(`${base}/policies`);
    expect(res.status).toBe(401);
  });

  it('syncs the valid policies on schedule, audited, and serves them as a tree', async () => {
    const event = await auditorEvent(ctx.auditor, 'policy-sync');
    expect(event.success).toHaveBeenCalledWith({
      meta: {
        trigger: 'schedule',
        policyCount: 3,
        statementCount: 3,
        removedPolicyCount: 0,
      },
    });

    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const res = await get('/policies');
    expect(res.status).toBe(200);
    const items = res.body.items as SecurityPolicy[];
    expect(
      items.map(p => [p.ref, p.depth, p.parentRef ?? null, p.status]),
    ).toEqual([
      [ROOT, 0, null, 'approved'],
      [ACCESS, 1, ROOT, 'approved'],
      [CRYPTO, 1, ROOT, 'draft'],
    ]);
    expect(items[0]).toMatchObject({
      title: 'IT Security Policy',
      owner: 'group:default/security-team',
      version: '3.0',
      approver: 'user:default/ciso',
      approvedAt: `${isoDate(-30 * DAY)}T00:00:00.000Z`,
      reviewCadence: 'P1Y',
      reviewOverdue: false,
      childRefs: [ACCESS, CRYPTO],
      coverage: { statements: 1, covered: 1 },
      warnings: [],
    });
    // encrypt-data-in-transit applies to payments-api and ledger, untested.
    expect(items[0].statements).toEqual([
      {
        id: 'protect-data',
        text: 'Customer data is protected in transit.',
        controls: [
          {
            ref: refs.tls,
            exists: true,
            title: 'Encrypt data in transit',
            applicableCount: 2,
            counts: {
              passing: 0,
              failing: 0,
              overdue: 0,
              untested: 2,
              excepted: 0,
            },
          },
        ],
        covered: true,
        applicableCount: 2,
        counts: {
          passing: 0,
          failing: 0,
          overdue: 0,
          untested: 2,
          excepted: 0,
        },
      },
    ]);
    // A draft never approved has no approver and no review date yet.
    expect(items[2].approver).toBeUndefined();
    expect(items[2].nextReviewAt).toBeUndefined();
  });

  it('flags a policy past its review date and warns about a control that does not exist', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const res = await get(`/policies/${encodeURIComponent(ACCESS)}`);
    expect(res.status).toBe(200);
    const access = res.body as SecurityPolicy;
    expect(access.reviewOverdue).toBe(true);
    expect(Date.parse(access.nextReviewAt!)).toBeLessThan(Date.now());
    expect(access.statements[0]).toMatchObject({
      id: 'strong-auth',
      title: 'Strong authentication',
      covered: false,
      controls: [
        { ref: refs.mfa, exists: true, applicableCount: 1 },
        { ref: GHOST, exists: false, applicableCount: 0 },
      ],
    });
    expect(access.warnings).toEqual([
      {
        kind: 'unknown-control',
        statementId: 'strong-auth',
        ref: GHOST,
        message: `Statement 'strong-auth' names ${GHOST}, which is not a valid SecurityControl in the catalog`,
      },
    ]);
  });

  it('finds a policy by its name or full ref, and answers 404 and 400 otherwise', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const byName = await get('/policies/cryptography-policy');
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({ ref: CRYPTO, depth: 1 });
    expect(
      (
        await get(
          `/policies/${encodeURIComponent(
            'SecurityPolicy:default/IT-Security-Policy',
          )}`,
        )
      ).body.ref,
    ).toBe(ROOT);

    const broken = await get('/policies/broken-policy');
    expect(broken.status).toBe(404);
    expect(broken.body.error.message).toBe(
      "No security policy 'securitypolicy:default/broken-policy'",
    );
    const malformed = await get(`/policies/${encodeURIComponent('a:b:c')}`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('ref');
  });
});

describe('policy routes before any sync', () => {
  it('answers an empty tree', async () => {
    const ctx = await startSecurityBackend({ entities: testCatalog() });
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const res = await request(ctx.server)
      .get(`${base}/policies`)
      .set(as.user());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
    await ctx.backend.stop();
  });
});
