import { Entity } from '@backstage/catalog-model';
import {
  annotatedControlRefs,
  controlSelectsEntity,
  selectorMatchesEntity,
} from './selectors';
import {
  SecurityControlEntityV1alpha1,
  SecurityControlSelector,
} from './SecurityControlEntityV1alpha1';

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', tags: ['java', 'PCI', 'pii'] },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
    system: 'payments',
  },
};

function entityIn(namespace: string, spec: Record<string, string>): Entity {
  return {
    ...paymentsApi,
    metadata: { ...paymentsApi.metadata, namespace },
    spec: { ...paymentsApi.spec, ...spec },
  };
}

function control(
  appliesTo?: SecurityControlSelector[],
  namespace?: string,
): SecurityControlEntityV1alpha1 {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityControl',
    metadata: { name: 'encrypt-data-in-transit', namespace },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      testing: { cadence: 'P90D', method: 'automated' },
      appliesTo,
    },
  };
}

const matches = (selector: SecurityControlSelector, entity = paymentsApi) =>
  selectorMatchesEntity(selector, entity);

describe('selectorMatchesEntity', () => {
  it.each<[string, SecurityControlSelector, SecurityControlSelector]>([
    ['kind', { kind: 'component' }, { kind: 'Resource' }],
    ['type', { type: 'Service' }, { type: 'website' }],
    ['lifecycle', { lifecycle: 'production' }, { lifecycle: 'experimental' }],
    ['system', { system: 'payments' }, { system: 'identity' }],
    ['owner', { owner: 'payments-team' }, { owner: 'platform-team' }],
    ['namespace', { namespace: 'default' }, { namespace: 'emea' }],
    ['tags', { tags: ['pci'] }, { tags: ['internal'] }],
  ])('matches on %s', (_key, matching, other) => {
    expect(matches(matching)).toBe(true);
    expect(matches(other)).toBe(false);
  });

  it('requires every key to match', () => {
    expect(matches({ kind: 'Component', type: 'service' })).toBe(true);
    expect(matches({ kind: 'Component', type: 'website' })).toBe(false);
  });

  it('matches a list when any of its values matches', () => {
    expect(matches({ type: ['website', 'service'] })).toBe(true);
    expect(matches({ lifecycle: ['experimental', 'deprecated'] })).toBe(false);
    expect(matches({ owner: ['identity-team', 'group:payments-team'] })).toBe(
      true,
    );
  });

  it('requires every tag, case-insensitively', () => {
    expect(matches({ tags: ['pci', 'PII'] })).toBe(true);
    expect(matches({ tags: ['pci', 'internal'] })).toBe(false);
    const untagged = { ...paymentsApi, metadata: { name: 'untagged' } };
    expect(matches({ tags: ['pci'] }, untagged)).toBe(false);
  });

  it('does not match a key the entity lacks', () => {
    const domain: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'digital-payments' },
      spec: { owner: 'engineering' },
    };
    expect(matches({ type: 'service' }, domain)).toBe(false);
    expect(matches({ system: 'payments' }, domain)).toBe(false);
    expect(matches({ kind: 'Domain' }, domain)).toBe(true);
  });

  it.each([
    'payments-team',
    'group:payments-team',
    'group:default/payments-team',
    'Group:default/Payments-Team',
  ])('treats owner %p as group:default/payments-team', owner => {
    for (const entityOwner of [
      'payments-team',
      'group:default/payments-team',
    ]) {
      const entity = entityIn('default', { owner: entityOwner });
      expect(matches({ owner }, entity)).toBe(true);
    }
  });

  it('tells owners and systems in other namespaces apart', () => {
    expect(matches({ owner: 'group:emea/payments-team' })).toBe(false);
    expect(matches({ system: 'system:emea/payments' })).toBe(false);
    expect(matches({ owner: 'user:payments-team' })).toBe(false);
    expect(matches({ system: 'system:default/payments' })).toBe(true);
  });

  it("resolves the entity's relative refs in its own namespace", () => {
    const emeaEntity = entityIn('emea', {
      owner: 'payments-team',
      system: 'payments',
    });
    expect(matches({ owner: 'group:emea/payments-team' }, emeaEntity)).toBe(
      true,
    );
    expect(matches({ owner: 'payments-team' }, emeaEntity)).toBe(false);
    expect(
      selectorMatchesEntity({ system: 'payments' }, emeaEntity, {
        namespace: 'emea',
      }),
    ).toBe(true);
  });

  it('never matches an invalid ref', () => {
    const entity = entityIn('default', { owner: 'group:' });
    expect(matches({ owner: 'group:' }, entity)).toBe(false);
  });
});

describe('controlSelectsEntity', () => {
  it('applies when any selector matches', () => {
    expect(
      controlSelectsEntity(
        control([
          { kind: 'Resource' },
          { type: 'service', system: 'payments' },
        ]),
        paymentsApi,
      ),
    ).toBe(true);
    expect(
      controlSelectsEntity(
        control([{ kind: 'Resource' }, { type: 'website' }]),
        paymentsApi,
      ),
    ).toBe(false);
  });

  it('applies to nothing without selectors', () => {
    expect(controlSelectsEntity(control(), paymentsApi)).toBe(false);
    expect(controlSelectsEntity(control([]), paymentsApi)).toBe(false);
  });

  it('never selects a SecurityControl, even one its selectors match', () => {
    const other = control([{ kind: 'Component' }]);
    other.metadata.name = 'other-control';
    expect(
      controlSelectsEntity(control([{ kind: 'SecurityControl' }]), other),
    ).toBe(false);
    expect(
      controlSelectsEntity(control([{ owner: 'security-team' }]), other),
    ).toBe(false);
  });

  it("resolves relative selector refs in the control's namespace", () => {
    const emeaEntity = entityIn('emea', { owner: 'payments-team' });
    expect(
      controlSelectsEntity(
        control([{ owner: 'payments-team' }], 'emea'),
        emeaEntity,
      ),
    ).toBe(true);
    expect(
      controlSelectsEntity(control([{ owner: 'payments-team' }]), emeaEntity),
    ).toBe(false);
  });
});

describe('annotatedControlRefs', () => {
  const annotated = (
    value: string | undefined,
    namespace?: string,
  ): Entity => ({
    ...paymentsApi,
    metadata: {
      name: 'payments-api',
      namespace,
      annotations:
        value === undefined
          ? undefined
          : { 'security.open-itsm.dev/controls': value },
    },
  });

  it('is empty without the annotation', () => {
    expect(annotatedControlRefs(annotated(undefined))).toEqual({
      refs: [],
      invalid: [],
    });
    expect(annotatedControlRefs(annotated(' , '))).toEqual({
      refs: [],
      invalid: [],
    });
  });

  it('trims whitespace, normalises refs and drops duplicates', () => {
    expect(
      annotatedControlRefs(
        annotated(
          ' mfa-admin-access,secrets-rotation ,\n SecurityControl:default/MFA-Admin-Access, securitycontrol:secrets-rotation,',
        ),
      ),
    ).toEqual({
      refs: [
        'securitycontrol:default/mfa-admin-access',
        'securitycontrol:default/secrets-rotation',
      ],
      invalid: [],
    });
  });

  it("resolves short names in the entity's namespace", () => {
    expect(
      annotatedControlRefs(
        annotated('mfa-admin-access, default/audit-logging', 'emea'),
      ).refs,
    ).toEqual([
      'securitycontrol:emea/mfa-admin-access',
      'securitycontrol:default/audit-logging',
    ]);
  });

  it('returns entries that are not SecurityControl refs as invalid', () => {
    expect(
      annotatedControlRefs(
        annotated(
          'audit-logging, group:security-team, securitycontrol:, a:b:c, mfa admin',
        ),
      ),
    ).toEqual({
      refs: ['securitycontrol:default/audit-logging'],
      invalid: [
        'group:security-team',
        'securitycontrol:',
        'a:b:c',
        'mfa admin',
      ],
    });
  });
});
