import {
  AuditorService,
  coreServices,
  LoggerService,
  createServiceFactory,
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  ServiceMock,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RELATION_HAS_SECURITY_CONTROL,
  SECURITY_CONTROL_API_VERSION,
} from '@open-itsm/plugin-security-management-common';
import { JsonObject } from '@backstage/types';
import {
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { securityManagementPlugin } from '../plugin';
import { recordResponses } from './contract';

/** Refs of the test catalog, in the plugin's lower-case form. */
export const refs = {
  tls: 'securitycontrol:default/encrypt-data-in-transit',
  mfa: 'securitycontrol:default/mfa-admin-access',
  broken: 'securitycontrol:default/broken-control',
  payments: 'component:default/payments-api',
  ledger: 'component:default/ledger',
  lonely: 'component:default/no-controls',
  teamA: 'group:default/team-a',
  teamB: 'group:default/team-b',
};

function control(
  name: string,
  title: string,
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: SECURITY_CONTROL_API_VERSION,
    kind: 'SecurityControl',
    metadata: { name, namespace: 'default', title },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      testing: { cadence: 'P90D', method: 'automated' },
      ...spec,
    },
  };
}

function hasControls(...targets: string[]) {
  return targets.map(targetRef => ({
    type: RELATION_HAS_SECURITY_CONTROL,
    targetRef,
  }));
}

/**
 * A small catalog as the catalog module leaves it: controls, a system in a
 * domain, and components carrying `hasSecurityControl` relations.
 */
export function testCatalog(): Entity[] {
  return [
    control('encrypt-data-in-transit', 'Encrypt data in transit', {
      frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'SC-8' }],
    }),
    control('mfa-admin-access', 'MFA for admin access', {
      testing: { cadence: 'P30D', method: 'manual' },
    }),
    // Invalid: no testing section. Skipped by the sync with a warning.
    {
      apiVersion: SECURITY_CONTROL_API_VERSION,
      kind: 'SecurityControl',
      metadata: { name: 'broken-control', namespace: 'default' },
      spec: { owner: 'security-team', category: 'technical' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'payments', namespace: 'default' },
      spec: { owner: 'team-a', domain: 'finance' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        namespace: 'default',
        title: 'Payments API',
        annotations: { 'security.open-itsm.dev/risk-tier': '1' },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'team-a',
        system: 'payments',
      },
      relations: hasControls(refs.tls, refs.mfa, refs.broken),
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'ledger', namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'group:team-b' },
      relations: hasControls(refs.tls),
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'no-controls', namespace: 'default' },
      spec: { type: 'library', lifecycle: 'production', owner: 'team-b' },
    },
  ];
}

/**
 * Sets what the permission mock answers, by permission name; anything not
 * listed is denied, so each test states what it grants.
 */
export function setPermissions(
  permissions: ServiceMock<PermissionsService>,
  decisions: Record<string, PolicyDecision>,
): void {
  const decide = (name: string) =>
    decisions[name] ?? { result: AuthorizeResult.DENY };
  permissions.authorize.mockImplementation(async requests =>
    requests.map(request => {
      const decision = decide(request.permission.name);
      return decision.result === AuthorizeResult.CONDITIONAL
        ? { result: AuthorizeResult.DENY }
        : decision;
    }),
  );
  permissions.authorizeConditional.mockImplementation(
    async queries => queries.map(query => decide(query.permission.name)) as any,
  );
}

/** ALLOW for each of the given permission names. */
export function allow(...names: string[]): Record<string, PolicyDecision> {
  return Object.fromEntries(
    names.map(name => [name, { result: AuthorizeResult.ALLOW }]),
  );
}

/** The event object the auditor mock handed out for an event id. */
export async function auditorEvent(
  auditor: ServiceMock<AuditorService>,
  eventId: string,
) {
  const index = auditor.createEvent.mock.calls.findIndex(
    ([options]) => options.eventId === eventId,
  );
  if (index < 0) throw new Error(`No auditor event '${eventId}'`);
  return auditor.createEvent.mock.results[index].value as Promise<{
    success: jest.Mock;
    fail: jest.Mock;
  }>;
}

/** Headers of a user and of a CI service principal. */
export const as = {
  user: (name = 'alice') => ({
    Authorization: mockCredentials.user.header(`user:default/${name}`),
  }),
  ci: () => ({
    Authorization: mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('ci-pipeline'),
      targetPluginId: 'security-management',
    }),
  }),
};

/** The SQLite test database, one fresh in-memory database per init. */
export const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Starts the plugin on a test backend with the real store (on SQLite unless
 * given another database), a
 * catalog mock, a permission mock that denies until told otherwise, and a
 * mock auditor; then runs the catalog sync once.
 */
export async function startSecurityBackend(
  options: {
    entities?: Entity[];
    config?: JsonObject;
    /**
     * Backstage's default auditor writing to this logger, instead of the
     * mock auditor: to see at which log level events land.
     */
    auditLogger?: LoggerService;
    /** The database to run on; by default a fresh in-memory SQLite one. */
    knex?: Knex;
    /** What URLs read as (advisory feeds, SBOMs); by default nothing. */
    urlReader?: UrlReaderService;
    /** Where notifications go; by default Backstage's, over HTTP. */
    notifications?: NotificationService;
  } = {},
) {
  const knex: Knex = options.knex ?? (await databases.init('SQLITE_3'));
  const permissions = mockServices.permissions.mock();
  setPermissions(permissions, {});
  const auditor: ServiceMock<AuditorService> = mockServices.auditor.mock();
  const scheduler = mockServices.scheduler();
  // The plugin's actions, invoked as `test:<name>`.
  const actions = actionsRegistryServiceMock();

  const backend = await startTestBackend({
    features: [
      securityManagementPlugin,
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      permissions.factory,
      ...(options.auditLogger
        ? [
            auditorServiceFactory,
            createServiceFactory({
              service: coreServices.logger,
              deps: {},
              factory: () => options.auditLogger!,
            }),
          ]
        : [auditor.factory]),
      // Tasks run only when a test triggers them.
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
      catalogServiceMock.factory({
        entities: options.entities ?? testCatalog(),
      }),
      ...(options.notifications
        ? [
            createServiceFactory({
              service: notificationService,
              deps: {},
              factory: () => options.notifications!,
            }),
          ]
        : []),
      ...(options.urlReader
        ? [
            createServiceFactory({
              service: coreServices.urlReader,
              deps: {},
              factory: () => options.urlReader!,
            }),
          ]
        : []),
    ],
  });
  await scheduler.triggerTask('security-management-catalog-sync');
  const answers = recordResponses(backend.server);

  return {
    server: backend.server,
    /**
     * Stops the backend, then fails the test if any answer it gave was
     * outside the API contract (contract tests for every router test).
     */
    backend: {
      ...backend,
      stop: async () => {
        await backend.stop();
        answers.assertAllMatchContract();
      },
    },
    knex,
    permissions,
    auditor,
    scheduler,
    actions,
  };
}
