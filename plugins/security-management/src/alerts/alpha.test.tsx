import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import securityManagementPlugin, { entitySecurityAlertBanner } from '../alpha';
import { securityManagementApiRef } from '../api';
import { securityAlert } from '../__testUtils__/alerts';
import {
  controlEntity,
  mockSecurityApi,
  serviceEntity,
} from '../__testUtils__/fixtures';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const libraryWithoutControls: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'utils', namespace: 'default' },
  spec: { type: 'library', owner: 'payments', lifecycle: 'production' },
};

describe('the alert banner in the new frontend system', () => {
  it('is a content card of the entity overview', () => {
    expect(
      securityManagementPlugin.getExtension(
        'entity-card:security-management/alerts',
      ),
    ).toBeDefined();
    const tester = createExtensionTester(entitySecurityAlertBanner);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
  });

  it('shows on the kinds that have a posture, not on groups or controls', () => {
    const filter = createExtensionTester(entitySecurityAlertBanner).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(serviceEntity)).toBe(true);
    expect(filter(libraryWithoutControls)).toBe(true);
    expect(filter(group)).toBe(false);
    expect(filter(controlEntity)).toBe(false);
  });

  it("renders the entity's active alerts", async () => {
    const api = mockSecurityApi({
      listEntityAlerts: jest
        .fn()
        .mockResolvedValue({ items: [securityAlert()] }),
    });
    renderInTestApp(
      <EntityProvider entity={serviceEntity}>
        {createExtensionTester(entitySecurityAlertBanner).reactElement()}
      </EntityProvider>,
      {
        apis: [[securityManagementApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('alert', {
        name: 'Security alert: Credential stuffing against customer logins',
      }),
    ).toHaveTextContent('Precautions:');
    expect(api.listEntityAlerts).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
    });
  });
});
