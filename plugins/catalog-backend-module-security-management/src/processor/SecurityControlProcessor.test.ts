import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { SecurityControlEntityV1alpha1 } from '@open-itsm/plugin-security-management-common';
import { SecurityControlProcessor } from './SecurityControlProcessor';

const location = { type: 'file', target: '/catalog/controls.yaml' };

function control(
  name: string,
  spec: Partial<SecurityControlEntityV1alpha1['spec']> = {},
): SecurityControlEntityV1alpha1 {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityControl',
    metadata: { name },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      testing: { cadence: 'P90D', method: 'automated' },
      ...spec,
    },
  };
}

const tls = control('encrypt-data-in-transit', {
  appliesTo: [{ kind: 'Component', type: 'service', lifecycle: 'production' }],
});
const pii = control('encrypt-pii-at-rest', {
  appliesTo: [{ kind: 'Resource', tags: ['pii'] }],
});
const mfa = control('mfa-admin-access');

function component(overrides: Partial<Entity['metadata']> = {}, spec = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', ...overrides },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'payments-team',
      ...spec,
    },
  } as Entity;
}

async function process(entity: Entity, controls = [tls, pii, mfa]) {
  const processor = new SecurityControlProcessor({
    list: async () => controls,
  });
  const emitted: CatalogProcessorResult[] = [];
  await processor.postProcessEntity(entity, location, r => emitted.push(r));
  return emitted.map(r =>
    r.type === 'relation'
      ? `${r.relation.source.kind}:${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.name}`
      : r.type,
  );
}

describe('SecurityControlProcessor', () => {
  const processor = new SecurityControlProcessor({ list: async () => [] });

  it('accepts SecurityControls, ignores other kinds and refuses unknown versions', async () => {
    await expect(processor.validateEntityKind(tls)).resolves.toBe(true);
    await expect(processor.validateEntityKind(component())).resolves.toBe(
      false,
    );
    await expect(
      processor.validateEntityKind({
        ...tls,
        apiVersion: 'security.open-itsm.dev/v9',
      }),
    ).rejects.toThrow(
      "apiVersion 'security.open-itsm.dev/v9' is not supported",
    );
  });

  it.each([
    [
      'a missing required field',
      { spec: { ...tls.spec, owner: undefined } },
      'spec.owner is required',
    ],
    [
      'a cadence that is not ISO-8601',
      {
        spec: {
          ...tls.spec,
          testing: { cadence: '90 days', method: 'automated' },
        },
      },
      "spec.testing.cadence '90 days' is not a positive ISO-8601 duration",
    ],
    [
      'a wrong type',
      { spec: { ...tls.spec, criticality: 5 } },
      'spec.criticality must be one of',
    ],
    [
      'an unknown selector key',
      { spec: { ...tls.spec, appliesTo: [{ team: 'x' }] } },
      'spec.appliesTo[0].team is not a selector key',
    ],
    [
      'a malformed entity ref',
      { spec: { ...tls.spec, owner: 'group:a:b' } },
      "spec.owner 'group:a:b' is not a valid entity ref",
    ],
  ])(
    'keeps a control with %s, with a processing error naming the field',
    async (_name, patch, message) => {
      const broken = { ...tls, ...patch } as unknown as Entity;
      const emitted: CatalogProcessorResult[] = [];
      const result: AlphaEntity = await processor.postProcessEntity(
        broken,
        location,
        r => emitted.push(r),
      );
      expect(emitted).toEqual([]);
      expect(result.status?.items).toEqual([
        expect.objectContaining({
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: expect.stringContaining(message),
          error: expect.objectContaining({ name: 'InputError' }),
        }),
      ]);
    },
  );

  it('relates a control to its owner in both directions', async () => {
    await expect(process(tls)).resolves.toEqual([
      'SecurityControl:encrypt-data-in-transit ownedBy group:security-team',
      'group:security-team ownerOf SecurityControl:encrypt-data-in-transit',
    ]);
  });

  it('relates an entity to every control whose selectors match, both ways', async () => {
    await expect(process(component())).resolves.toEqual([
      'Component:payments-api hasSecurityControl SecurityControl:encrypt-data-in-transit',
      'SecurityControl:encrypt-data-in-transit securityControlOf Component:payments-api',
    ]);
    await expect(
      process({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'ledger-db', tags: ['pii', 'postgres'] },
        spec: { type: 'database', owner: 'payments-team' },
      }),
    ).resolves.toEqual([
      'Resource:ledger-db hasSecurityControl SecurityControl:encrypt-pii-at-rest',
      'SecurityControl:encrypt-pii-at-rest securityControlOf Resource:ledger-db',
    ]);
  });

  it('emits nothing for an entity no selector matches', async () => {
    await expect(
      process(component({}, { lifecycle: 'experimental' })),
    ).resolves.toEqual([]);
  });

  it('adds controls named in the controls annotation, ignoring unknown names', async () => {
    const entity = component(
      {
        annotations: {
          'security.open-itsm.dev/controls':
            'mfa-admin-access, no-such-control',
        },
      },
      { lifecycle: 'experimental' },
    );
    await expect(process(entity)).resolves.toEqual([
      'Component:payments-api hasSecurityControl SecurityControl:mfa-admin-access',
      'SecurityControl:mfa-admin-access securityControlOf Component:payments-api',
    ]);
  });

  it('never relates a control to another control', async () => {
    const selectsEverything = control('inventory', {
      appliesTo: [{ namespace: 'default' }],
    });
    await expect(process(pii, [selectsEverything])).resolves.not.toContain(
      expect.stringContaining('hasSecurityControl'),
    );
  });

  describe('inheritance', () => {
    // Applies to the payments database and the payments system directly
    // (as the catalog has stitched it), and is inherited through both.
    const dbEncryption: SecurityControlEntityV1alpha1 = {
      ...control('database-encryption', {
        appliesTo: [{ kind: 'Resource', type: 'database' }],
        inheritance: { via: ['dependsOn', 'partOf'] },
      }),
      relations: [
        {
          type: 'securityControlOf',
          targetRef: 'resource:default/payments-db',
        },
        { type: 'securityControlOf', targetRef: 'system:default/payments' },
        { type: 'ownedBy', targetRef: 'component:default/other-api' },
      ],
    };
    const onlyPartOf: SecurityControlEntityV1alpha1 = {
      ...dbEncryption,
      spec: { ...dbEncryption.spec, inheritance: { via: ['partOf'] } },
    };
    const inherits = [
      'Component:payments-api inheritsSecurityControl SecurityControl:database-encryption',
      'SecurityControl:database-encryption securityControlInheritedBy Component:payments-api',
    ];

    it('relates a component that depends on an entity the control applies to', async () => {
      await expect(
        process(component({}, { dependsOn: ['resource:payments-db'] }), [
          dbEncryption,
        ]),
      ).resolves.toEqual(inherits);
    });

    it('relates a component that is part of a system the control applies to', async () => {
      await expect(
        process(component({}, { system: 'payments' }), [dbEncryption]),
      ).resolves.toEqual(inherits);
    });

    it('relates once for a component with two parents', async () => {
      await expect(
        process(
          component(
            {},
            { system: 'payments', dependsOn: ['resource:payments-db'] },
          ),
          [dbEncryption],
        ),
      ).resolves.toEqual(inherits);
    });

    it('follows only the relations the control names', async () => {
      await expect(
        process(component({}, { dependsOn: ['resource:payments-db'] }), [
          onlyPartOf,
        ]),
      ).resolves.toEqual([]);
    });

    it('does not relate through an entity the control does not apply to', async () => {
      await expect(
        process(
          component(
            {},
            { system: 'billing', dependsOn: ['component:other-api'] },
          ),
          [dbEncryption],
        ),
      ).resolves.toEqual([]);
    });

    it('lets only the inheriting kinds inherit', async () => {
      await expect(
        process(
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: { name: 'payments-queue' },
            spec: { type: 'queue', system: 'payments' },
          },
          [dbEncryption],
        ),
      ).resolves.toEqual([]);
    });

    it('relates an entity the control applies to directly only directly', async () => {
      await expect(
        process(
          component(
            {
              annotations: {
                'security.open-itsm.dev/controls': 'database-encryption',
              },
            },
            { system: 'payments' },
          ),
          [dbEncryption],
        ),
      ).resolves.toEqual([
        'Component:payments-api hasSecurityControl SecurityControl:database-encryption',
        'SecurityControl:database-encryption securityControlOf Component:payments-api',
      ]);
    });
  });
});
