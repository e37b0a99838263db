import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RELATION_HAS_SECURITY_CONTROL,
  RELATION_INHERITS_SECURITY_CONTROL,
  SECURITY_CONTROL_API_VERSION,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore, StoredEntity } from './ApplicabilityStore';
import { CatalogSync } from './CatalogSync';

const DB_ENCRYPTION = 'securitycontrol:default/database-encryption';
const PART_OF_ONLY = 'securitycontrol:default/network-segmentation';
const DB = 'resource:default/payments-db';
const SYSTEM = 'system:default/payments';

function control(name: string, via: string[]): Entity {
  return {
    apiVersion: SECURITY_CONTROL_API_VERSION,
    kind: 'SecurityControl',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      testing: { cadence: 'P90D', method: 'automated' },
      inheritance: { via },
    },
  };
}

function entity(
  kind: string,
  name: string,
  relations: Array<[string, string]>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { owner: 'group:default/team-a' },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

const has = (ref: string): [string, string] => [
  RELATION_HAS_SECURITY_CONTROL,
  ref,
];
const inherits = (ref: string): [string, string] => [
  RELATION_INHERITS_SECURITY_CONTROL,
  ref,
];

async function sync(entities: Entity[]): Promise<Map<string, StoredEntity>> {
  const store = {
    replaceCatalogSnapshot: jest.fn(async () => ({
      controlCount: 0,
      entityCount: 0,
      pairCount: 0,
      removedEntityCount: 0,
    })),
  };
  await new CatalogSync({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth({ pluginId: 'security-management' }),
    store: store as unknown as ApplicabilityStore,
    logger: mockServices.logger.mock(),
  }).run(new Date('2026-12-01T00:00:00Z'));
  const [[snapshot]] = store.replaceCatalogSnapshot.mock.calls as unknown as [
    [{ entities: StoredEntity[] }],
  ];
  return new Map(snapshot.entities.map(e => [e.entityRef, e]));
}

describe('CatalogSync inherited controls', () => {
  const controls = [
    control('database-encryption', ['dependsOn', 'partOf']),
    control('network-segmentation', ['partOf']),
  ];
  const parents = [
    entity('Resource', 'payments-db', [has(DB_ENCRYPTION), has(PART_OF_ONLY)]),
    entity('System', 'payments', [has(DB_ENCRYPTION)]),
  ];

  it('records the entity each control is inherited from, through dependsOn and partOf', async () => {
    const stored = await sync([
      ...controls,
      ...parents,
      entity('Component', 'checkout', [
        ['dependsOn', DB],
        inherits(DB_ENCRYPTION),
      ]),
      entity('Component', 'payments-api', [
        ['partOf', SYSTEM],
        inherits(DB_ENCRYPTION),
      ]),
    ]);
    expect(stored.get('component:default/checkout')).toMatchObject({
      controlRefs: [DB_ENCRYPTION],
      inheritedFrom: { [DB_ENCRYPTION]: DB },
    });
    expect(stored.get('component:default/payments-api')).toMatchObject({
      controlRefs: [DB_ENCRYPTION],
      inheritedFrom: { [DB_ENCRYPTION]: SYSTEM },
    });
    // The parents keep the control directly.
    expect(stored.get(DB)).toMatchObject({
      controlRefs: [DB_ENCRYPTION, PART_OF_ONLY],
    });
    expect(stored.get(DB)!.inheritedFrom).toBeUndefined();
  });

  it('inherits a control once from two parents, from the first by ref', async () => {
    const stored = await sync([
      ...controls,
      ...parents,
      entity('Component', 'checkout', [
        ['partOf', SYSTEM],
        ['dependsOn', DB],
        inherits(DB_ENCRYPTION),
      ]),
    ]);
    expect(stored.get('component:default/checkout')).toMatchObject({
      controlRefs: [DB_ENCRYPTION],
      inheritedFrom: { [DB_ENCRYPTION]: DB },
    });
  });

  it('lets a direct control win over the inherited one', async () => {
    const stored = await sync([
      ...controls,
      ...parents,
      entity('Component', 'checkout', [
        ['dependsOn', DB],
        has(DB_ENCRYPTION),
        inherits(DB_ENCRYPTION),
      ]),
    ]);
    const checkout = stored.get('component:default/checkout')!;
    expect(checkout.controlRefs).toEqual([DB_ENCRYPTION]);
    expect(checkout.inheritedFrom).toBeUndefined();
  });

  it('follows only the relations the control is inherited through, and skips a stale relation', async () => {
    const stored = await sync([
      ...controls,
      ...parents,
      // network-segmentation is inherited through partOf only.
      entity('Component', 'checkout', [
        ['dependsOn', DB],
        inherits(PART_OF_ONLY),
      ]),
    ]);
    expect(stored.has('component:default/checkout')).toBe(false);
  });
});
