import { Entity } from '@backstage/catalog-model';
import {
  isIsoDuration,
  securityControlProblems,
  validateSecurityControlEntity,
} from './validateSecurityControl';

function control(spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityControl',
    metadata: { name: 'encrypt-data-in-transit' },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      frameworks: [
        { framework: 'nist-sp-800-53-rev5', ref: 'SC-8' },
        { framework: 'iso-27001-2022', ref: 'A.8.24' },
      ],
      testing: {
        cadence: 'P90D',
        method: 'automated',
        procedure: 'Scan endpoints for TLS older than 1.2.',
      },
      appliesTo: [
        { kind: 'Component', type: 'service', lifecycle: 'production' },
        { kind: 'Resource', tags: ['pii'] },
        {
          system: ['payments', 'system:default/identity'],
          owner: 'platform-team',
        },
      ],
      ...spec,
    },
  };
}

function withoutSpecField(field: string): Entity {
  const entity = control();
  delete (entity.spec as Record<string, unknown>)[field];
  return entity;
}

const testing = (fields: Record<string, unknown>) => ({
  cadence: 'P90D',
  method: 'automated',
  ...fields,
});

describe('securityControlProblems', () => {
  it('finds no problem in a valid control', () => {
    expect(securityControlProblems(control())).toEqual([]);
    expect(validateSecurityControlEntity(control())).toBe(true);
  });

  it('accepts a minimal control without frameworks or selectors', () => {
    const entity = control();
    delete entity.spec!.frameworks;
    delete entity.spec!.appliesTo;
    expect(securityControlProblems(entity)).toEqual([]);
  });

  it.each(['owner', 'category', 'criticality', 'testing'])(
    'names the missing required field spec.%s',
    field => {
      expect(securityControlProblems(withoutSpecField(field))).toEqual([
        `spec.${field} is required`,
      ]);
    },
  );

  it('names a missing cadence', () => {
    const entity = control({ testing: { method: 'manual' } });
    expect(securityControlProblems(entity)).toEqual([
      'spec.testing.cadence is required',
    ]);
  });

  it.each(['90 days', 'P0D', 'PT0S', '', 'every quarter'])(
    'rejects the cadence %p as not a positive ISO-8601 duration',
    cadence => {
      expect(
        securityControlProblems(control({ testing: testing({ cadence }) })),
      ).toEqual([
        `spec.testing.cadence '${cadence}' is not a positive ISO-8601 duration such as P90D`,
      ]);
    },
  );

  it('names a criticality of the wrong type', () => {
    expect(securityControlProblems(control({ criticality: 5 }))).toEqual([
      "spec.criticality must be one of 'low', 'medium', 'high', 'critical'",
    ]);
  });

  it('names an unknown enum value', () => {
    expect(
      securityControlProblems(
        control({ testing: testing({ method: 'vibes' }) }),
      ),
    ).toEqual([
      "spec.testing.method must be one of 'automated', 'manual', 'penetration-test', 'audit'",
    ]);
  });

  it('names appliesTo when it is not an array', () => {
    expect(
      securityControlProblems(control({ appliesTo: { kind: 'Component' } })),
    ).toEqual(['spec.appliesTo must be of type array']);
  });

  it('names an unknown selector key and lists the valid ones', () => {
    const problems = securityControlProblems(
      control({ appliesTo: [{ kind: 'Component', team: 'payments-team' }] }),
    );
    expect(problems).toEqual([
      'spec.appliesTo[0].team is not a selector key; use kind, type, lifecycle, system, owner, namespace or tags',
    ]);
  });

  it('accepts inheritance through dependsOn and partOf, with or without kinds', () => {
    expect(
      securityControlProblems(
        control({ inheritance: { via: ['dependsOn', 'partOf'] } }),
      ),
    ).toEqual([]);
    expect(
      securityControlProblems(
        control({
          inheritance: { via: ['partOf'], kinds: ['Component', 'Resource'] },
        }),
      ),
    ).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['no via', {}, ['spec.inheritance.via is required']],
    [
      'an empty via',
      { via: [] },
      ['spec.inheritance.via must NOT have fewer than 1 items'],
    ],
    [
      'an unknown relation',
      { via: ['ownedBy'] },
      ["spec.inheritance.via[0] must be one of 'dependsOn', 'partOf'"],
    ],
    [
      'a relation named twice',
      { via: ['partOf', 'partOf'] },
      ['spec.inheritance.via names a relation more than once'],
    ],
    [
      'an unknown field',
      { via: ['partOf'], depth: 2 },
      ['spec.inheritance.depth is not a known field'],
    ],
    [
      'an empty kind',
      { via: ['partOf'], kinds: [''] },
      ['spec.inheritance.kinds[0] must NOT have fewer than 1 characters'],
    ],
  ])('names the inheritance with %s', (_label, inheritance, problems) => {
    expect(securityControlProblems(control({ inheritance }))).toEqual(problems);
  });

  it('names an unknown spec field', () => {
    expect(securityControlProblems(control({ severity: 'high' }))).toEqual([
      'spec.severity is not a known field',
    ]);
  });

  it.each(['group:', 'a:b:c', 'group:default/', 'group:payments team'])(
    'names the malformed owner ref %p',
    owner => {
      expect(securityControlProblems(control({ owner }))).toEqual([
        `spec.owner '${owner}' is not a valid entity ref; expected [kind:][namespace/]name`,
      ]);
    },
  );

  it('names a malformed ref inside a selector list', () => {
    expect(
      securityControlProblems(
        control({
          appliesTo: [
            { kind: 'Component' },
            { system: ['payments', 'system:'] },
          ],
        }),
      ),
    ).toEqual([
      "spec.appliesTo[1].system 'system:' is not a valid entity ref; expected [kind:][namespace/]name",
    ]);
  });

  it('reports schema and cadence problems together', () => {
    const problems = securityControlProblems(
      control({
        testing: testing({ cadence: '90 days' }),
        appliesTo: [{ kind: 'Component', team: 'payments-team' }],
      }),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/spec\.appliesTo\[0\]\.team/);
    expect(problems.join('\n')).toMatch(/spec\.testing\.cadence '90 days'/);
  });

  it('names an over-long title, description and procedure with their lengths', () => {
    const entity = control({
      testing: testing({ procedure: 'p'.repeat(5001) }),
    });
    entity.metadata.title = 't'.repeat(10000);
    entity.metadata.description = 'd'.repeat(2001);
    expect(securityControlProblems(entity)).toEqual([
      'metadata.title is 10000 characters long; the most is 200',
      'metadata.description is 2001 characters long; the most is 2000',
      'spec.testing.procedure is 5001 characters long; the most is 5000',
    ]);
    expect(() => validateSecurityControlEntity(entity)).toThrow(
      /metadata\.title is 10000 characters long; the most is 200/,
    );
  });

  it('accepts text at the limits', () => {
    const entity = control({
      testing: testing({ procedure: 'p'.repeat(5000) }),
    });
    entity.metadata.title = 't'.repeat(200);
    entity.metadata.description = 'd'.repeat(2000);
    expect(securityControlProblems(entity)).toEqual([]);
  });

  it('names over-long framework refs, selector values and too many tags', () => {
    const entity = control({
      frameworks: [{ framework: 'iso-27001-2022', ref: 'r'.repeat(101) }],
      appliesTo: [{ type: 'x'.repeat(201), tags: ['y'.repeat(64)] }],
    });
    entity.metadata.tags = Array.from({ length: 51 }, (_, i) => `tag-${i}`);
    expect(securityControlProblems(entity)).toEqual([
      'metadata.tags has 51 items; the most is 50',
      'spec.frameworks[0].ref is 101 characters long; the most is 100',
      'spec.appliesTo[0].type is 201 characters long; the most is 200',
      'spec.appliesTo[0].tags[0] is 64 characters long; the most is 63',
    ]);
  });

  it('names every text that holds a NUL character', () => {
    const entity = control({
      testing: testing({ procedure: 'scan\u0000' }),
      appliesTo: [{ type: ['service', 'web\u0000site'] }],
    });
    entity.metadata.title = 'TLS\u0000';
    expect(securityControlProblems(entity)).toEqual([
      'metadata.title must not contain NUL characters',
      'spec.testing.procedure must not contain NUL characters',
      'spec.appliesTo[0].type[1] must not contain NUL characters',
    ]);
  });

  it('does not crash on a spec of the wrong shape', () => {
    expect(securityControlProblems(control({ testing: 'P90D' }))).toEqual([
      'spec.testing must be of type object',
    ]);
    const entity = control();
    entity.spec = 'nope' as unknown as Entity['spec'];
    expect(securityControlProblems(entity)).toEqual([
      'spec must be of type object',
    ]);
  });
});

describe('validateSecurityControlEntity', () => {
  it('throws one TypeError listing every problem', () => {
    const entity = control({ owner: 'group:', criticality: 'extreme' });
    expect(() => validateSecurityControlEntity(entity)).toThrow(TypeError);
    expect(() => validateSecurityControlEntity(entity)).toThrow(
      /^Invalid SecurityControl encrypt-data-in-transit: .*spec\.criticality.*; .*spec\.owner 'group:'/,
    );
  });

  it('rejects another version of our API group', () => {
    expect(() =>
      validateSecurityControlEntity({
        ...control(),
        apiVersion: 'security.open-itsm.dev/v1beta1',
      }),
    ).toThrow(
      "apiVersion 'security.open-itsm.dev/v1beta1' is not supported for SecurityControl; use 'security.open-itsm.dev/v1alpha1'",
    );
  });

  it.each<[string, Entity]>([
    [
      'a Component',
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payments-api' },
        spec: { type: 'service' },
      },
    ],
    [
      'a SecurityControl of another group',
      { ...control(), apiVersion: 'example.com/v1' },
    ],
    ['another kind of our group', { ...control(), kind: 'SecurityAdvisory' }],
  ])('returns false for %s', (_label, entity) => {
    expect(validateSecurityControlEntity(entity)).toBe(false);
  });
});

describe('isIsoDuration', () => {
  it.each(['P90D', 'PT12H', 'P1M', 'P1Y2M', 'P2W'])('accepts %p', value => {
    expect(isIsoDuration(value)).toBe(true);
  });

  it.each(['90 days', 'P0D', 'P', '90', 'D90P'])('rejects %p', value => {
    expect(isIsoDuration(value)).toBe(false);
  });
});
