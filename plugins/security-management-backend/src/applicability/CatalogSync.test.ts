import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RELATION_HAS_SECURITY_CONTROL } from '@open-itsm/plugin-security-management-common';
import { refs, testCatalog } from '../__testUtils__/securityBackend';
import { ApplicabilityStore } from './ApplicabilityStore';
import { CatalogSync } from './CatalogSync';

function setup(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const store = {
    replaceCatalogSnapshot: jest.fn(async ({ controls, entities: stored }) => ({
      controlCount: controls.length,
      entityCount: stored.length,
      pairCount: 0,
      removedEntityCount: 0,
    })),
  };
  const logger = mockServices.logger.mock();
  const sync = new CatalogSync({
    catalog,
    auth: mockServices.auth({ pluginId: 'security-management' }),
    store: store as unknown as ApplicabilityStore,
    logger,
  });
  return { catalog, store, logger, sync };
}

describe('CatalogSync', () => {
  it('builds the snapshot from controls and hasSecurityControl relations', async () => {
    const { store, logger, sync } = setup(testCatalog());
    const now = new Date('2025-03-01T00:00:00Z');

    await sync.run(now);

    const { controls, entities } =
      store.replaceCatalogSnapshot.mock.calls[0][0];
    expect(controls).toEqual([
      {
        ref: refs.tls,
        title: 'Encrypt data in transit',
        description: undefined,
        owner: 'group:default/security-team',
        category: 'technical',
        criticality: 'high',
        cadence: 'P90D',
        method: 'automated',
        procedure: undefined,
        frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'SC-8' }],
      },
      expect.objectContaining({ ref: refs.mfa, cadence: 'P30D' }),
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `Skipping invalid SecurityControl ${refs.broken}`,
      ),
    );
    expect(entities).toEqual([
      {
        entityRef: refs.payments,
        kind: 'component',
        title: 'Payments API',
        owner: refs.teamA,
        system: 'system:default/payments',
        // The domain comes from the entity's system.
        domain: 'domain:default/finance',
        riskTier: 1,
        // The relation to the invalid control is dropped.
        controlRefs: [refs.tls, refs.mfa],
      },
      {
        entityRef: refs.ledger,
        kind: 'component',
        title: undefined,
        owner: refs.teamB,
        system: undefined,
        domain: undefined,
        riskTier: 3,
        controlRefs: [refs.tls],
      },
    ]);
    expect(store.replaceCatalogSnapshot.mock.calls[0][0].now).toBe(now);
  });

  it('rolls a group up under itself, as it has no owner', async () => {
    const team: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'payments-team' },
      spec: { type: 'team', children: [] },
      relations: [{ type: RELATION_HAS_SECURITY_CONTROL, targetRef: refs.tls }],
    };
    const { store, sync } = setup([
      ...testCatalog().filter(e => e.kind === 'SecurityControl'),
      team,
    ]);

    await sync.run(new Date('2025-03-01T00:00:00Z'));

    const { entities } = store.replaceCatalogSnapshot.mock.calls[0][0];
    expect(entities).toEqual([
      expect.objectContaining({
        entityRef: 'group:default/payments-team',
        owner: 'group:default/payments-team',
        controlRefs: [refs.tls],
      }),
    ]);
  });

  it('reads the catalog with its own service credentials', async () => {
    const { catalog, sync } = setup(testCatalog());
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    await sync.run();
    expect(queryEntities).toHaveBeenCalled();
    for (const [, options] of queryEntities.mock.calls) {
      expect(options).toHaveProperty('credentials.principal', {
        type: 'service',
        subject: 'plugin:security-management',
      });
    }
  });

  it('pages through a large catalog with cursors', async () => {
    const many: Entity[] = Array.from({ length: 1203 }, (_, index) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: `bucket-${index}`, namespace: 'default' },
      spec: { type: 's3', owner: 'team-b' },
      relations: [{ type: RELATION_HAS_SECURITY_CONTROL, targetRef: refs.tls }],
    }));
    const { catalog, store, sync } = setup([...testCatalog(), ...many]);
    const queryEntities = jest.spyOn(catalog, 'queryEntities');

    await sync.run();

    const { entities } = store.replaceCatalogSnapshot.mock.calls[0][0];
    expect(entities).toHaveLength(1205);
    const cursorCalls = queryEntities.mock.calls.filter(
      ([request]) => request && 'cursor' in request,
    );
    expect(cursorCalls.length).toBeGreaterThanOrEqual(2);
  });
});
