import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import {
  SecurityControlEntityV1alpha1,
  SecurityPolicyEntityV1alpha1,
} from '@open-itsm/plugin-security-management-common';
import { SecurityControlProcessor } from './SecurityControlProcessor';
import { SecurityPolicyProcessor } from './SecurityPolicyProcessor';

const location = { type: 'file', target: '/catalog/policies.yaml' };

function policy(
  name: string,
  spec: Partial<SecurityPolicyEntityV1alpha1['spec']> = {},
  namespace?: string,
): SecurityPolicyEntityV1alpha1 {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      owner: 'security-team',
      version: '1.0.0',
      status: 'approved',
      approval: { approver: 'ciso', approvedAt: '2026-03-01' },
      review: { cadence: 'P1Y' },
      statements: [
        {
          id: 'strong-auth',
          text: 'Administrative access requires a second factor.',
          controls: ['mfa-admin-access', 'audit-logging'],
        },
        {
          id: 'accountability',
          text: 'Every administrative action is logged.',
          controls: ['securitycontrol:default/audit-logging'],
        },
      ],
      ...spec,
    },
  };
}

const processor = new SecurityPolicyProcessor();

async function process(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  const result: AlphaEntity = await processor.postProcessEntity(
    entity,
    location,
    r => emitted.push(r),
  );
  const relations = emitted.map(r =>
    r.type === 'relation'
      ? `${r.relation.source.kind}:${r.relation.source.namespace}/${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.namespace}/${r.relation.target.name}`
      : r.type,
  );
  return { relations, result };
}

describe('SecurityPolicyProcessor', () => {
  it('accepts SecurityPolicies, ignores other kinds and refuses unknown versions', async () => {
    await expect(processor.validateEntityKind(policy('p'))).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payments-api' },
      }),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind({
        ...policy('p'),
        apiVersion: 'security.open-itsm.dev/v2',
      }),
    ).rejects.toThrow(
      "apiVersion 'security.open-itsm.dev/v2' is not supported for SecurityPolicy",
    );
  });

  it('relates a policy to its owner, its parent and each control its statements name, both ways', async () => {
    const { relations, result } = await process(
      policy('access-control-policy', { parent: 'it-security-policy' }),
    );
    expect(relations).toEqual([
      'SecurityPolicy:default/access-control-policy ownedBy Group:default/security-team',
      'Group:default/security-team ownerOf SecurityPolicy:default/access-control-policy',
      'SecurityPolicy:default/access-control-policy childOf SecurityPolicy:default/it-security-policy',
      'SecurityPolicy:default/it-security-policy parentOf SecurityPolicy:default/access-control-policy',
      'SecurityPolicy:default/access-control-policy implementedBy SecurityControl:default/mfa-admin-access',
      'SecurityControl:default/mfa-admin-access implements SecurityPolicy:default/access-control-policy',
      'SecurityPolicy:default/access-control-policy implementedBy SecurityControl:default/audit-logging',
      'SecurityControl:default/audit-logging implements SecurityPolicy:default/access-control-policy',
    ]);
    expect(result.status).toBeUndefined();
  });

  it('resolves refs without a namespace in the policy’s own namespace', async () => {
    const { relations } = await process(
      policy(
        'root',
        {
          statements: [
            {
              id: 'one',
              text: 'Text.',
              controls: ['tls', 'securitycontrol:shared/backups'],
            },
          ],
        },
        'security',
      ),
    );
    expect(relations).toEqual([
      'SecurityPolicy:security/root ownedBy Group:security/security-team',
      'Group:security/security-team ownerOf SecurityPolicy:security/root',
      'SecurityPolicy:security/root implementedBy SecurityControl:security/tls',
      'SecurityControl:security/tls implements SecurityPolicy:security/root',
      // The catalog compares refs case-insensitively.
      'SecurityPolicy:security/root implementedBy securitycontrol:shared/backups',
      'securitycontrol:shared/backups implements SecurityPolicy:security/root',
    ]);
  });

  it.each([
    [
      'a missing required field',
      { version: undefined },
      'spec.version is required',
    ],
    [
      'an approved policy without approval',
      { approval: undefined },
      "spec.approval is required when spec.status is 'approved'",
    ],
    [
      'a review cadence that is not ISO-8601',
      { review: { cadence: 'yearly' } },
      "spec.review.cadence 'yearly' is not a positive ISO-8601 duration",
    ],
    [
      'a statement naming something that is not a control',
      {
        statements: [
          { id: 's', text: 'Text.', controls: ['component:payments-api'] },
        ],
      },
      "spec.statements[0].controls[0] 'component:payments-api' must name a SecurityControl",
    ],
    [
      'a duplicate statement id',
      {
        statements: [
          { id: 's', text: 'One.', controls: [] },
          { id: 's', text: 'Two.', controls: [] },
        ],
      },
      "spec.statements[1].id 's' is also the id of spec.statements[0]",
    ],
  ])(
    'keeps a policy with %s, with a processing error naming the field and no relations',
    async (_name, patch, message) => {
      const broken = policy('broken', patch as object);
      const { relations, result } = await process(broken);
      expect(relations).toEqual([]);
      expect(result.status?.items).toEqual([
        expect.objectContaining({
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: expect.stringContaining(message),
          error: expect.objectContaining({ name: 'InputError' }),
        }),
      ]);
      expect(result.status?.items?.[0].message).toMatch(
        /^InputError: Invalid SecurityPolicy securitypolicy:default\/broken: /,
      );
    },
  );

  it('emits nothing for other kinds', async () => {
    const { relations, result } = await process({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments-api' },
      spec: { owner: 'security-team' },
    });
    expect(relations).toEqual([]);
    expect(result.status).toBeUndefined();
  });

  it('is never selected by a control, even one that selects everything', async () => {
    const everything: SecurityControlEntityV1alpha1 = {
      apiVersion: 'security.open-itsm.dev/v1alpha1',
      kind: 'SecurityControl',
      metadata: { name: 'inventory' },
      spec: {
        owner: 'security-team',
        category: 'organizational',
        criticality: 'low',
        testing: { cadence: 'P1Y', method: 'audit' },
        appliesTo: [{ namespace: 'default' }, { owner: 'security-team' }],
      },
    };
    const controls = new SecurityControlProcessor({
      list: async () => [everything],
    });
    const annotated = policy('p');
    annotated.metadata.annotations = {
      'security.open-itsm.dev/controls': 'inventory',
    };
    const emitted: CatalogProcessorResult[] = [];
    await controls.postProcessEntity(annotated, location, r => emitted.push(r));
    expect(emitted).toEqual([]);
  });
});
