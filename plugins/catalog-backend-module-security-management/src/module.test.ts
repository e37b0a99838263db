import {
  catalogYamlDir,
  SECURITY_TEAM_YAML,
  startTestCatalog,
} from './__testUtils__/catalogBackend';

// Runs the real catalog backend with this module over a real YAML location,
// so what is asserted here is what the catalog graph and API will show.
jest.setTimeout(60_000);

const yaml = `
${SECURITY_TEAM_YAML}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    security.open-itsm.dev/risk-tier: "1"
    security.open-itsm.dev/controls: mfa-admin-access
spec: { type: service, lifecycle: production, owner: group:default/security-team }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: docs-site }
spec: { type: website, lifecycle: experimental, owner: group:default/security-team }
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: encrypt-data-in-transit, title: Encrypt data in transit }
spec:
  owner: group:default/security-team
  category: technical
  criticality: high
  frameworks: [{ framework: nist-sp-800-53-rev5, ref: SC-8 }]
  testing: { cadence: P90D, method: automated }
  appliesTo: [{ kind: Component, type: service, lifecycle: production }]
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: mfa-admin-access }
spec:
  owner: group:default/security-team
  category: technical
  criticality: critical
  testing: { cadence: P30D, method: manual }
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: broken-control }
spec:
  owner: group:default/security-team
  category: technical
  criticality: high
  testing: { cadence: 90 days, method: automated }
  appliesTo: [{ team: payments }]
`;

describe('catalogModuleSecurityManagement with the real catalog', () => {
  const dir = catalogYamlDir('secmgmt-catalog-', yaml);

  it('validates controls and relates them to the entities they apply to', async () => {
    const { get, relationsOf, waitForRelations } = await startTestCatalog({
      dir: dir(),
      allow: ['Component', 'Group', 'SecurityControl'],
    });

    const expected = [
      'hasSecurityControl securitycontrol:default/encrypt-data-in-transit',
      'hasSecurityControl securitycontrol:default/mfa-admin-access',
      'ownedBy group:default/security-team',
    ];
    expect(
      await waitForRelations('component', 'payments-api', expected),
    ).toEqual(expected);

    // The reverse direction, so the graph can be walked from the control.
    await expect(
      relationsOf('securitycontrol', 'encrypt-data-in-transit'),
    ).resolves.toEqual([
      'ownedBy group:default/security-team',
      'securityControlOf component:default/payments-api',
    ]);
    await expect(relationsOf('component', 'docs-site')).resolves.toEqual([
      'ownedBy group:default/security-team',
    ]);

    // The broken control is in the catalog with a processing error that
    // names each bad field (its entity page shows it); it applies to nothing
    // and the valid entities above were not affected.
    const broken = await get(
      '/api/catalog/entities/by-name/securitycontrol/default/broken-control',
    );
    expect(broken.status).toBe(200);
    const [error] = broken.body.status.items;
    expect(error.type).toBe('backstage.io/catalog-processing');
    expect(error.level).toBe('error');
    expect(error.message).toContain(
      "spec.testing.cadence '90 days' is not a positive ISO-8601 duration",
    );
    expect(error.message).toContain(
      'spec.appliesTo[0].team is not a selector key',
    );
    expect(broken.body.relations).toEqual([]);
  });
});
