import { Entity } from '@backstage/catalog-model';
import { isSecurityControl, isSecurityManagementAvailable } from './conditions';

function entity(overrides: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop' },
    ...overrides,
  };
}

describe('isSecurityManagementAvailable', () => {
  it('is true for an entity a control applies to', () => {
    expect(
      isSecurityManagementAvailable(
        entity({
          relations: [
            {
              type: 'hasSecurityControl',
              targetRef: 'securitycontrol:default/tls',
            },
          ],
        }),
      ),
    ).toBe(true);
  });

  it.each([
    'security.open-itsm.dev/risk-tier',
    'security.open-itsm.dev/controls',
  ])('is true for an entity with the %s annotation', annotation => {
    expect(
      isSecurityManagementAvailable(
        entity({
          metadata: { name: 'shop', annotations: { [annotation]: '1' } },
        }),
      ),
    ).toBe(true);
  });

  it('is false for an entity without relation or annotation', () => {
    expect(
      isSecurityManagementAvailable(
        entity({
          relations: [{ type: 'ownedBy', targetRef: 'group:default/a' }],
        }),
      ),
    ).toBe(false);
  });

  it('is false for a SecurityControl, which has its own card', () => {
    const control = entity({
      apiVersion: 'security.open-itsm.dev/v1alpha1',
      kind: 'SecurityControl',
      metadata: {
        name: 'tls',
        annotations: { 'security.open-itsm.dev/risk-tier': '1' },
      },
    });
    expect(isSecurityControl(control)).toBe(true);
    expect(isSecurityManagementAvailable(control)).toBe(false);
  });
});
