import Grid from '@material-ui/core/Grid';
import { Entity } from '@backstage/catalog-model';
import { Content, Header, Page } from '@backstage/core-components';
import { attachComponentData } from '@backstage/core-plugin-api';
import { createDevApp } from '@backstage/dev-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useParams } from 'react-router-dom';
import {
  EntitySecurityContent,
  EntitySecurityPostureCard,
  SecurityControlCoverageCard,
  SecurityManagementPage,
  securityManagementPlugin,
} from '../src';

// The frontend plugin on its own, for `yarn start` in this package. It talks
// to the backend at backend.baseUrl of the repository's app-config.yaml: run
// `yarn start` in plugins/security-management-backend beside it, which loads
// the example organisation and control library. Sign in as guest.

// Copies of two entities from examples/, so that the backend knows them.
const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    title: 'Payments API',
    tags: ['java', 'pci'],
    annotations: {
      'security.open-itsm.dev/risk-tier': '1',
      'security.open-itsm.dev/controls': 'secrets-rotation, mfa-admin-access',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
    system: 'payments',
  },
};

const encryptDataInTransit: Entity = {
  apiVersion: 'security.open-itsm.dev/v1alpha1',
  kind: 'SecurityControl',
  metadata: {
    name: 'encrypt-data-in-transit',
    namespace: 'default',
    title: 'Encrypt data in transit',
  },
  spec: {
    owner: 'group:default/security-team',
    category: 'technical',
    criticality: 'critical',
    testing: { cadence: 'P90D', method: 'automated' },
    appliesTo: [
      {
        kind: 'Component',
        type: ['service', 'website'],
        lifecycle: 'production',
      },
      { kind: 'API' },
    ],
  },
};

const exampleEntities = [paymentsApi, encryptDataInTransit];

function EntityPage(props: { entity: Entity }) {
  const { entity } = props;
  const isControl = entity.kind === 'SecurityControl';
  return (
    <EntityProvider entity={entity}>
      <Page themeId={isControl ? 'tool' : 'service'}>
        <Header
          title={entity.metadata.title ?? entity.metadata.name}
          type={entity.kind}
        />
        <Content>
          <Grid container spacing={3}>
            {isControl ? (
              <Grid item xs={12} md={8}>
                <SecurityControlCoverageCard />
              </Grid>
            ) : (
              <>
                <Grid item xs={12} md={6}>
                  <EntitySecurityPostureCard />
                </Grid>
                <Grid item xs={12}>
                  <EntitySecurityContent />
                </Grid>
              </>
            )}
          </Grid>
        </Content>
      </Page>
    </EntityProvider>
  );
}

// Entity links (the catalog's entity route) land here: the example entities
// show their security surfaces, any other entity only its name, since the
// catalog's own pages are not part of this dev app.
function EntityRoutePage() {
  const { kind = '', namespace = '', name = '' } = useParams();
  const entity = exampleEntities.find(
    e =>
      e.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US') &&
      e.metadata.namespace === namespace &&
      e.metadata.name === name,
  );
  if (entity) {
    return <EntityPage entity={entity} />;
  }
  return (
    <Page themeId="other">
      <Header title={name} type={kind} />
      <Content>
        {`${kind}:${namespace}/${name} is not one of this dev app's example entities.`}
      </Content>
    </Page>
  );
}
attachComponentData(EntityRoutePage, 'core.mountPoint', entityRouteRef);

createDevApp()
  .registerPlugin(securityManagementPlugin)
  .addPage({
    path: '/security-management',
    title: 'Security',
    element: <SecurityManagementPage />,
  })
  .addPage({
    path: '/payments-api',
    title: 'payments-api',
    element: <EntityPage entity={paymentsApi} />,
  })
  .addPage({
    path: '/encrypt-data-in-transit',
    title: 'Control coverage',
    element: <EntityPage entity={encryptDataInTransit} />,
  })
  .addPage({
    path: '/catalog/:namespace/:kind/:name',
    element: <EntityRoutePage />,
  })
  .render();
