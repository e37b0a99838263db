import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import {
  SecurityControlEntityV1alpha1,
  SecurityRequirementEntityV1alpha1,
} from '@open-itsm/plugin-security-management-common';
import { SecurityControlProcessor } from './SecurityControlProcessor';
import { SecurityRequirementProcessor } from './SecurityRequirementProcessor';

const location = { type: 'url', target: 'https://example.com/low.json' };

function requirement(
  spec: Partial<SecurityRequirementEntityV1alpha1['spec']> = {},
): SecurityRequirementEntityV1alpha1 {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityRequirement',
    metadata: { name: 'nist-sp-800-53-rev5-ia-2.1' },
    spec: {
      framework: 'nist-sp-800-53-rev5',
      frameworkTitle: 'LOW baseline',
      controlId: 'ia-2.1',
      label: 'IA-2(1)',
      statement: 'Implement multi-factor authentication.',
      owner: 'security-team',
      ...spec,
    },
  };
}

function control(
  name: string,
  frameworks: SecurityControlEntityV1alpha1['spec']['frameworks'],
): SecurityControlEntityV1alpha1 {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityControl',
    metadata: { name },
    spec: {
      owner: 'security-team',
      category: 'technical',
      criticality: 'high',
      frameworks,
      testing: { cadence: 'P90D', method: 'automated' },
      appliesTo: [{ owner: 'security-team' }],
    },
  };
}

const controls = [
  control('mfa-admin-access', [
    { framework: 'nist-sp-800-53-rev5', ref: 'IA-2(1)' },
  ]),
  control('mfa-by-id', [{ framework: 'nist-sp-800-53-rev5', ref: 'ia-2.1' }]),
  control('mfa-other-framework', [{ framework: 'soc2-2017', ref: 'IA-2(1)' }]),
  control('account-management', [
    { framework: 'nist-sp-800-53-rev5', ref: 'IA-2' },
  ]),
];
const processor = new SecurityRequirementProcessor({
  list: async () => controls,
});

async function process(entity: Entity, target = processor) {
  const emitted: CatalogProcessorResult[] = [];
  const result: AlphaEntity = await target.postProcessEntity(
    entity,
    location,
    r => emitted.push(r),
  );
  const relations = emitted.map(r =>
    r.type === 'relation'
      ? `${r.relation.source.kind}:${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.name}`
      : r.type,
  );
  return { relations, result };
}

describe('SecurityRequirementProcessor', () => {
  it('relates a requirement to its owner and the controls that map to it by label or id', async () => {
    const { relations, result } = await process(requirement());
    expect(relations).toEqual([
      'SecurityRequirement:nist-sp-800-53-rev5-ia-2.1 ownedBy Group:security-team',
      'Group:security-team ownerOf SecurityRequirement:nist-sp-800-53-rev5-ia-2.1',
      'SecurityRequirement:nist-sp-800-53-rev5-ia-2.1 satisfiedBy SecurityControl:mfa-admin-access',
      'SecurityControl:mfa-admin-access satisfies SecurityRequirement:nist-sp-800-53-rev5-ia-2.1',
      'SecurityRequirement:nist-sp-800-53-rev5-ia-2.1 satisfiedBy SecurityControl:mfa-by-id',
      'SecurityControl:mfa-by-id satisfies SecurityRequirement:nist-sp-800-53-rev5-ia-2.1',
    ]);
    expect(result.status).toBeUndefined();
  });

  it('keeps an invalid requirement with a processing error and no relation', async () => {
    const { relations, result } = await process(
      requirement({ owner: '', label: '' }),
    );
    expect(relations).toEqual([]);
    expect(result.status?.items?.[0]).toMatchObject({
      level: 'error',
      message:
        'InputError: Invalid SecurityRequirement securityrequirement:default/nist-sp-800-53-rev5-ia-2.1: spec.label must not be empty; spec.owner must not be empty',
    });
  });

  it('accepts its kind and refuses an unknown version of it', async () => {
    await expect(processor.validateEntityKind(requirement())).resolves.toBe(
      true,
    );
    await expect(
      processor.validateEntityKind({
        ...requirement(),
        apiVersion: 'security.open-itsm.dev/v9',
      }),
    ).rejects.toThrow(
      "apiVersion 'security.open-itsm.dev/v9' is not supported",
    );
    await expect(processor.validateEntityKind(controls[0])).resolves.toBe(
      false,
    );
  });

  it('is never given controls by their selectors', async () => {
    const controlProcessor = new SecurityControlProcessor({
      list: async () => controls,
    });
    const { relations } = await process(requirement(), controlProcessor as any);
    expect(relations).toEqual([]);
  });
});
