import { Entity } from '@backstage/catalog-model';
import {
  deriveRequirementLabel,
  requirementEntityName,
  requirementRefKey,
} from './SecurityRequirementEntityV1alpha1';
import {
  securityRequirementProblems,
  validateSecurityRequirementEntity,
} from './validateSecurityRequirement';

function requirement(spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityRequirement',
    metadata: {
      name: 'nist-sp-800-53-rev5-ac-2.1',
      title: 'Automated System Account Management',
    },
    spec: {
      framework: 'nist-sp-800-53-rev5',
      frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
      controlId: 'ac-2.1',
      label: 'AC-2(1)',
      statement:
        'Support the management of system accounts using [Assignment: organization-defined automated mechanisms].',
      guidance: 'Automated mechanisms include email and text messaging.',
      testProcedure: 'AC-02(01): automated mechanisms are used.',
      family: 'Access Control',
      parent: 'ac-2',
      owner: 'group:default/security-team',
      ...spec,
    },
  };
}

describe('securityRequirementProblems', () => {
  it('finds no problem in a valid requirement', () => {
    expect(securityRequirementProblems(requirement())).toEqual([]);
    expect(validateSecurityRequirementEntity(requirement())).toBe(true);
  });

  it('accepts a requirement without the optional fields', () => {
    const entity = requirement();
    for (const field of ['guidance', 'testProcedure', 'family', 'parent']) {
      delete entity.spec![field];
    }
    expect(securityRequirementProblems(entity)).toEqual([]);
  });

  it('names every problem with its field', () => {
    const entity = requirement({
      framework: 'NIST 800-53',
      label: '',
      owner: 'user:default/nadia',
      unknown: true,
    });
    delete entity.spec!.controlId;
    expect(securityRequirementProblems(entity).sort()).toEqual(
      [
        "spec.framework 'NIST 800-53' may hold only lower-case letters, digits, dots and dashes",
        'spec.controlId is required',
        'spec.label must not be empty',
        "spec.owner 'user:default/nadia' must name a group",
        'spec.unknown is not a known field',
      ].sort(),
    );
  });

  it('refuses text the database cannot store', () => {
    expect(
      securityRequirementProblems(requirement({ statement: 'a\u0000b' })),
    ).toEqual(['spec.statement must not contain NUL characters']);
  });

  it('throws for an invalid requirement and an unknown version', () => {
    expect(() =>
      validateSecurityRequirementEntity(requirement({ owner: 7 })),
    ).toThrow(
      'Invalid SecurityRequirement nist-sp-800-53-rev5-ac-2.1: spec.owner must be of type string',
    );
    expect(() =>
      validateSecurityRequirementEntity({
        ...requirement(),
        apiVersion: 'security.open-itsm.dev/v2',
      }),
    ).toThrow(
      "apiVersion 'security.open-itsm.dev/v2' is not supported for SecurityRequirement",
    );
  });

  it('leaves other kinds alone', () => {
    expect(
      validateSecurityRequirementEntity({
        ...requirement(),
        kind: 'Component',
      }),
    ).toBe(false);
  });
});

describe('requirement ids', () => {
  it.each([
    ['AC-2(1)', 'ac-2.1'],
    ['ac-2.1', 'ac-2.1'],
    ['AC-02(01)', 'ac-2.1'],
    ['SC-8', 'sc-8'],
    ['SC-10', 'sc-10'],
    [' A.8.24 ', 'a.8.24'],
    ['CC6.7', 'cc6.7'],
  ])('compares %s as %s', (ref, key) => {
    expect(requirementRefKey(ref)).toBe(key);
  });

  it.each([
    ['ac-2', 'AC-2'],
    ['ac-2.1', 'AC-2(1)'],
    ['sc-7.10', 'SC-7(10)'],
    ['s1.1.1', 'S1.1.1'],
  ])('labels %s as %s when the catalog gives no label', (id, label) => {
    expect(deriveRequirementLabel(id)).toBe(label);
  });

  it('names a requirement after its framework and id', () => {
    expect(requirementEntityName('nist-sp-800-53-rev5', 'ac-2.1')).toBe(
      'nist-sp-800-53-rev5-ac-2.1',
    );
    expect(requirementEntityName('iso-27001-2022', 'A.8 / 24')).toBe(
      'iso-27001-2022-a.8-24',
    );
  });

  it('keeps long names within 63 characters and apart from each other', () => {
    const framework = 'a-very-long-framework-identifier-that-goes-on-and-on';
    const one = requirementEntityName(framework, 'control-one-of-many');
    const two = requirementEntityName(framework, 'control-two-of-many');
    expect(one.length).toBeLessThanOrEqual(63);
    expect(one).toMatch(/^([a-z0-9]+[-_.])*[a-z0-9]+$/);
    expect(one).not.toBe(two);
  });
});
