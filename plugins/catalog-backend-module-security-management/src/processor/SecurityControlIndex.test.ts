import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SecurityControlIndex } from './SecurityControlIndex';

const valid = {
  apiVersion: 'security.open-itsm.dev/v1alpha1',
  kind: 'SecurityControl',
  metadata: { name: 'patch-management' },
  spec: {
    owner: 'group:default/platform-team',
    category: 'technical',
    criticality: 'high',
    testing: { cadence: 'P30D', method: 'automated' },
    appliesTo: [{ kind: 'Component' }],
  },
};
const invalid = {
  ...valid,
  metadata: { name: 'broken' },
  spec: { ...valid.spec, testing: { cadence: 'monthly', method: 'automated' } },
};

describe('SecurityControlIndex', () => {
  it('lists the valid controls and caches them for the TTL', async () => {
    const catalog = catalogServiceMock({ entities: [valid, invalid] });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    let now = 1_000;
    const index = new SecurityControlIndex({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      ttlMs: 30_000,
      now: () => now,
    });

    const [first, concurrent] = await Promise.all([index.list(), index.list()]);
    expect(first.map(c => c.metadata.name)).toEqual(['patch-management']);
    expect(concurrent).toBe(first);
    expect(getEntities).toHaveBeenCalledTimes(1);

    now += 29_999;
    await index.list();
    expect(getEntities).toHaveBeenCalledTimes(1);

    now += 1;
    await index.list();
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps the last good list when the catalog cannot be read', async () => {
    const catalog = catalogServiceMock({ entities: [valid] });
    const logger = mockServices.logger.mock();
    let now = 0;
    const index = new SecurityControlIndex({
      catalog,
      auth: mockServices.auth(),
      logger,
      ttlMs: 10,
      now: () => now,
    });
    await expect(index.list()).resolves.toHaveLength(1);

    jest
      .spyOn(catalog, 'getEntities')
      .mockRejectedValue(new Error('ECONNREFUSED'));
    now = 100;
    await expect(index.list()).resolves.toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('ECONNREFUSED'),
    );
  });

  it('re-reads an empty control library after two seconds, not a whole TTL', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    let now = 0;
    const index = new SecurityControlIndex({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      ttlMs: 60_000,
      now: () => now,
    });
    await expect(index.list()).resolves.toEqual([]);
    now = 1_999;
    await index.list();
    expect(getEntities).toHaveBeenCalledTimes(1);
    now = 2_000;
    await index.list();
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('answers an empty list before the catalog has ever been read', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: jest.fn().mockRejectedValue(new Error('not ready')),
    });
    const index = new SecurityControlIndex({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      ttlMs: 10,
    });
    await expect(index.list()).resolves.toEqual([]);
  });
});
