import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import securityManagementPlugin, {
  entitySecurityContent,
  entitySecurityPostureCard,
  securityControlCoverageCard,
  securityManagementApi,
  securityManagementPage,
} from './alpha';
import { securityManagementApiRef } from './api';
import {
  controlEntity,
  mockSecurityApi,
  posture,
  serviceEntity,
} from './__testUtils__/fixtures';

describe('security-management plugin for the new frontend system', () => {
  it('provides the API, the page, the cards and the Security tab', () => {
    expect(securityManagementPlugin.pluginId).toBe('security-management');
    for (const id of [
      'api:security-management',
      'page:security-management',
      'entity-card:security-management/posture',
      'entity-content:security-management/security',
      'entity-card:security-management/control-coverage',
    ] as const) {
      expect(securityManagementPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('installs the HTTP client as the API', () => {
    const factory = createExtensionTester(securityManagementApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(securityManagementApiRef);
  });

  it('mounts the page at /security-management as the Security nav item', () => {
    const tester = createExtensionTester(securityManagementPage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/security-management',
    );
    expect(tester.get(coreExtensionData.title)).toBe('Security');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('adds the Security tab to managed entities only', () => {
    const tester = createExtensionTester(entitySecurityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('security');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Security');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(serviceEntity)).toBe(true);
    expect(filter(controlEntity)).toBe(false);
  });

  it('shows the coverage card on SecurityControl pages only', () => {
    const filter = createExtensionTester(securityControlCoverageCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(controlEntity)).toBe(true);
    expect(filter(serviceEntity)).toBe(false);
  });

  it('renders the posture card of a managed entity', async () => {
    const tester = createExtensionTester(entitySecurityPostureCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(serviceEntity)).toBe(true);
    expect(filter(controlEntity)).toBe(false);

    const api = mockSecurityApi({
      getEntityPosture: jest.fn().mockResolvedValue(posture()),
    });
    renderInTestApp(
      <EntityProvider entity={serviceEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[securityManagementApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByLabelText('Grade B')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /view security details/i }),
    ).toHaveAttribute('href', '/catalog/default/component/shop/security');
  });
});
