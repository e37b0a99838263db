import {
  catalogYamlDir,
  SECURITY_TEAM_YAML,
  startTestCatalog,
} from '../__testUtils__/catalogBackend';

// The real catalog with this module: a control tested on a database and a
// system reaches the components that depend on it or are part of it, once
// the parents' relations have been stitched onto the control.
jest.setTimeout(90_000);

const yaml = `
${SECURITY_TEAM_YAML}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: payments }
spec: { owner: group:default/security-team }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: payments-db }
spec: { type: database, owner: group:default/security-team }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ledger }
spec:
  type: service
  lifecycle: production
  owner: group:default/security-team
  dependsOn: [resource:payments-db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout }
spec:
  type: website
  lifecycle: production
  owner: group:default/security-team
  system: payments
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: backup-and-restore }
spec:
  owner: group:default/security-team
  category: technical
  criticality: critical
  testing: { cadence: P90D, method: manual }
  appliesTo: [{ kind: Resource, type: database }, { kind: System }]
  inheritance: { via: [dependsOn, partOf] }
`;

describe('inherited controls with the real catalog', () => {
  const dir = catalogYamlDir('secmgmt-inheritance-', yaml);

  it('relates the components that depend on, or are part of, an entity the control applies to', async () => {
    const { relationsOf, waitForRelations } = await startTestCatalog({
      dir: dir(),
      allow: ['Component', 'Group', 'Resource', 'System', 'SecurityControl'],
    });
    const control = 'securitycontrol:default/backup-and-restore';

    const ledger = [
      'dependsOn resource:default/payments-db',
      `inheritsSecurityControl ${control}`,
      'ownedBy group:default/security-team',
    ];
    expect(await waitForRelations('component', 'ledger', ledger)).toEqual(
      ledger,
    );
    const checkout = [
      `inheritsSecurityControl ${control}`,
      'ownedBy group:default/security-team',
      'partOf system:default/payments',
    ];
    expect(await waitForRelations('component', 'checkout', checkout)).toEqual(
      checkout,
    );

    // The parents keep the control directly; the control shows both sides.
    expect(await relationsOf('resource', 'payments-db')).toContain(
      `hasSecurityControl ${control}`,
    );
    const controlRelations = await relationsOf(
      'securitycontrol',
      'backup-and-restore',
    );
    expect(controlRelations).toEqual(
      expect.arrayContaining([
        'securityControlInheritedBy component:default/checkout',
        'securityControlInheritedBy component:default/ledger',
        'securityControlOf resource:default/payments-db',
        'securityControlOf system:default/payments',
      ]),
    );
  });
});
