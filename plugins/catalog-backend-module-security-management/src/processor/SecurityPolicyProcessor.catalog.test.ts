import {
  catalogYamlDir,
  SECURITY_TEAM_YAML,
  startTestCatalog,
} from '../__testUtils__/catalogBackend';

// The real catalog backend with this module over a real YAML location: the
// relations asserted here are the ones the catalog graph draws.
jest.setTimeout(60_000);

const yaml = `
${SECURITY_TEAM_YAML}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: payments-api }
spec: { type: service, lifecycle: production, owner: group:default/security-team }
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: mfa-admin-access }
spec:
  owner: group:default/security-team
  category: technical
  criticality: critical
  testing: { cadence: P30D, method: manual }
  appliesTo: [{ owner: security-team }]
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityPolicy
metadata: { name: it-security-policy, title: IT Security Policy }
spec:
  owner: security-team
  version: "3.0"
  status: approved
  approval: { approver: ciso, approvedAt: 2026-01-15 }
  review: { cadence: P1Y }
  statements:
    - id: protect-information
      text: Information is protected by controls proportionate to its risk.
      controls: []
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityPolicy
metadata: { name: access-control-policy }
spec:
  owner: security-team
  version: "1.1"
  status: approved
  approval: { approver: ciso, approvedAt: 2026-02-01 }
  review: { cadence: P1Y }
  parent: it-security-policy
  statements:
    - id: strong-auth
      text: Administrative access requires a second factor.
      controls: [mfa-admin-access]
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityPolicy
metadata: { name: broken-policy }
spec:
  owner: security-team
  version: 1.0
  status: approved
  review: { cadence: yearly }
  statements: []
`;

describe('SecurityPolicyProcessor in the real catalog', () => {
  const dir = catalogYamlDir('secmgmt-policies-', yaml);

  it('stores the policy tree and the controls implementing it, and a bad policy with its error', async () => {
    const { get, relationsOf, waitForRelations } = await startTestCatalog({
      dir: dir(),
      allow: ['Component', 'Group', 'SecurityControl', 'SecurityPolicy'],
    });

    const expected = [
      'childOf securitypolicy:default/it-security-policy',
      'implementedBy securitycontrol:default/mfa-admin-access',
      'ownedBy group:default/security-team',
    ];
    expect(
      await waitForRelations(
        'securitypolicy',
        'access-control-policy',
        expected,
      ),
    ).toEqual(expected);
    await expect(
      relationsOf('securitypolicy', 'it-security-policy'),
    ).resolves.toEqual([
      'ownedBy group:default/security-team',
      'parentOf securitypolicy:default/access-control-policy',
    ]);
    // The control implements the policy and, though its selector matches
    // the policies' owner, applies to no policy.
    const controlExpected = [
      'implements securitypolicy:default/access-control-policy',
      'ownedBy group:default/security-team',
      'securityControlOf component:default/payments-api',
    ];
    expect(
      await waitForRelations(
        'securitycontrol',
        'mfa-admin-access',
        controlExpected,
      ),
    ).toEqual(controlExpected);
    await expect(relationsOf('component', 'payments-api')).resolves.toContain(
      'hasSecurityControl securitycontrol:default/mfa-admin-access',
    );

    const broken = await get(
      '/api/catalog/entities/by-name/securitypolicy/default/broken-policy',
    );
    expect(broken.status).toBe(200);
    const [error] = broken.body.status.items;
    expect(error.level).toBe('error');
    expect(error.message).toContain(
      "spec.version must be of type string; quote it in YAML, e.g. '1'",
    );
    expect(error.message).toContain(
      "spec.approval is required when spec.status is 'approved'",
    );
    expect(error.message).toContain(
      "spec.review.cadence 'yearly' is not a positive ISO-8601 duration",
    );
    expect(error.message).toContain(
      'spec.statements must hold at least one statement',
    );
    expect(broken.body.relations).toEqual([]);
  });
});
