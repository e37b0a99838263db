import { Entity } from '@backstage/catalog-model';
import {
  inheritanceCandidates,
  inheritanceRelations,
  specRelationTargets,
} from './inheritance';
import { SecurityControlEntityV1alpha1 } from './SecurityControlEntityV1alpha1';

function control(
  inheritance?: SecurityControlEntityV1alpha1['spec']['inheritance'],
): SecurityControlEntityV1alpha1 {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityControl',
    metadata: { name: 'database-encryption' },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      testing: { cadence: 'P90D', method: 'automated' },
      appliesTo: [{ kind: 'Resource', type: 'database' }],
      inheritance,
    },
  };
}

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'shop' },
  spec: {
    type: 'service',
    system: 'payments',
    subcomponentOf: 'checkout',
    dependsOn: ['resource:payments-db', 'Component:default/ledger', 'bad ref'],
  },
};

describe('inheritanceRelations', () => {
  it('is undefined for a control without inheritance', () => {
    expect(inheritanceRelations(control(), 'Component')).toBeUndefined();
  });

  it('lets Components inherit by default, and only the kinds listed otherwise', () => {
    const byDefault = control({ via: ['dependsOn'] });
    expect(inheritanceRelations(byDefault, 'Component')).toEqual(['dependsOn']);
    expect(inheritanceRelations(byDefault, 'Resource')).toBeUndefined();

    const listed = control({ via: ['partOf'], kinds: 'resource' });
    expect(inheritanceRelations(listed, 'Resource')).toEqual(['partOf']);
    expect(inheritanceRelations(listed, 'Component')).toBeUndefined();
  });
});

describe('specRelationTargets', () => {
  it('reads dependsOn as the catalog does: refs with their kind, in the entity namespace', () => {
    expect(specRelationTargets(component, 'dependsOn')).toEqual([
      'resource:shop/payments-db',
      'component:default/ledger',
    ]);
  });

  it('reads partOf from the system and the parent component', () => {
    expect(specRelationTargets(component, 'partOf')).toEqual([
      'system:shop/payments',
      'component:shop/checkout',
    ]);
    expect(
      specRelationTargets(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'payments' },
          spec: { domain: 'commerce' },
        },
        'partOf',
      ),
    ).toEqual(['domain:default/commerce']);
  });
});

describe('inheritanceCandidates', () => {
  it('follows only the relations the control names', () => {
    expect(
      inheritanceCandidates(control({ via: ['partOf'] }), component),
    ).toEqual(['system:shop/payments', 'component:shop/checkout']);
    expect(
      inheritanceCandidates(
        control({ via: ['dependsOn', 'partOf'] }),
        component,
      ),
    ).toHaveLength(4);
    expect(inheritanceCandidates(control(), component)).toEqual([]);
  });
});
