import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  FRAMEWORK_IMPORT_EVENT_TOPIC,
  SecurityRequirementEntityV1alpha1,
} from '@open-itsm/plugin-security-management-common';
import {
  fixtureJson,
  fixtureText,
  fixtureUrl,
  LOW_BASELINE,
  synthesizedFullCatalog,
} from './__testUtils__/fixtures';
import { OscalImportConfig } from './config';
import { OscalRequirementProvider } from './OscalRequirementProvider';

const TARGET = fixtureUrl(LOW_BASELINE);

const config: OscalImportConfig = {
  id: 'nist-low',
  framework: 'nist-sp-800-53-rev5',
  target: TARGET,
  owner: 'group:default/security-team',
  schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
};

function setup(
  options: { controls?: string[]; importConfig?: OscalImportConfig } = {},
) {
  const files = new Map<string, string>([[TARGET, fixtureText(LOW_BASELINE)]]);
  const reader = mockServices.urlReader.mock({
    readUrl: async url => {
      const content = files.get(url);
      if (content === undefined) throw new NotFoundError(`${url} not found`);
      return { buffer: async () => Buffer.from(content) } as any;
    },
  });
  const connection = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  } satisfies EntityProviderConnection;
  const events = { publish: jest.fn(), subscribe: jest.fn() };
  const logger = mockServices.logger.mock();
  logger.child.mockReturnValue(logger);
  const provider = new OscalRequirementProvider({
    config: options.importConfig ?? config,
    reader,
    controlNames: async () =>
      (options.controls ?? []).map(name => ({ namespace: 'default', name })),
    logger,
    events,
  });
  return { provider, connection, files, events, logger };
}

type Mutation = {
  type: 'full';
  entities: {
    entity: SecurityRequirementEntityV1alpha1;
    locationKey: string;
  }[];
};

function mutation(connection: { applyMutation: jest.Mock }, call = 0) {
  return connection.applyMutation.mock.calls[call][0] as Mutation;
}

describe('OscalRequirementProvider', () => {
  it('replaces its entities with the requirements of the source, located', async () => {
    const { provider, connection, events } = setup();
    await provider.connect(connection);

    await expect(provider.run()).resolves.toEqual({
      outcome: 'imported',
      requirementCount: 149,
    });
    const { type, entities } = mutation(connection);
    expect(type).toBe('full');
    expect(entities).toHaveLength(149);
    const ac2 = entities.find(e => e.entity.spec.controlId === 'ac-2')!;
    expect(ac2.locationKey).toBe('security-requirements:nist-low');
    expect(ac2.entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `file:${LOW_BASELINE}`,
      'backstage.io/managed-by-origin-location': `file:${LOW_BASELINE}`,
      'security.open-itsm.dev/oscal-import': 'nist-low',
    });
    expect(events.publish).toHaveBeenCalledWith({
      topic: FRAMEWORK_IMPORT_EVENT_TOPIC,
      eventPayload: expect.objectContaining({
        importId: 'nist-low',
        framework: 'nist-sp-800-53-rev5',
        target: TARGET,
        outcome: 'imported',
        requirementCount: 149,
      }),
    });
  });

  it('drops the requirements the source no longer holds', async () => {
    const { provider, connection, files } = setup();
    await provider.connect(connection);
    await provider.run();
    const smaller = fixtureJson(LOW_BASELINE);
    smaller.catalog.groups = smaller.catalog.groups.filter(
      (group: { id: string }) => group.id === 'ac',
    );
    files.set(TARGET, JSON.stringify(smaller));

    await expect(provider.run()).resolves.toEqual({
      outcome: 'imported',
      requirementCount: 11,
    });
    expect(mutation(connection, 1).entities).toHaveLength(11);
  });

  it('keeps the previous import when the document is not valid, and says why', async () => {
    const { provider, connection, files, events, logger } = setup();
    await provider.connect(connection);
    await provider.run();
    const broken = fixtureJson(LOW_BASELINE);
    delete broken.catalog.groups[0].controls[1].title;
    files.set(TARGET, JSON.stringify(broken));

    const outcome = await provider.run();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const message = `OSCAL import nist-low of ${TARGET} failed, the previous import stays: not a valid OSCAL catalog by NIST's OSCAL 1.0.6 catalog JSON schema: /catalog/groups/0/controls/1 must have required property 'title'`;
    expect(outcome).toEqual({ outcome: 'failed', message });
    expect(logger.error).toHaveBeenCalledWith(message);
    expect(events.publish).toHaveBeenLastCalledWith({
      topic: FRAMEWORK_IMPORT_EVENT_TOPIC,
      eventPayload: expect.objectContaining({
        importId: 'nist-low',
        outcome: 'failed',
        message,
      }),
    });
  });

  it('keeps the previous import when the source cannot be read or is not JSON', async () => {
    const { provider, connection, files } = setup();
    await provider.connect(connection);
    await provider.run();

    files.set(TARGET, '{ "catalog": ');
    expect(await provider.run()).toEqual({
      outcome: 'failed',
      message: expect.stringContaining(
        'failed, the previous import stays: not JSON:',
      ),
    });
    files.delete(TARGET);
    expect(await provider.run()).toEqual({
      outcome: 'failed',
      message: expect.stringContaining(`${TARGET} not found`),
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('refuses an import whose requirement would take the name of a SecurityControl', async () => {
    const { provider, connection } = setup({
      controls: ['encrypt-data-in-transit', 'nist-sp-800-53-rev5-ac-2'],
    });
    await provider.connect(connection);

    const outcome = await provider.run();

    expect(outcome).toEqual({
      outcome: 'failed',
      message: expect.stringContaining(
        'requirement securityrequirement:default/nist-sp-800-53-rev5-ac-2 (AC-2) has the name of the existing SecurityControl securitycontrol:default/nist-sp-800-53-rev5-ac-2',
      ),
    });
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('runs on a schedule with global scope, one task per import', async () => {
    const scheduler = mockServices.scheduler.mock();
    const { connection } = setup();
    const provider = new OscalRequirementProvider({
      config,
      reader: mockServices.urlReader.mock(),
      controlNames: async () => [],
      logger: mockServices.logger.mock(),
      scheduler,
    });
    await provider.connect(connection);
    expect(provider.getProviderName()).toBe('security-requirements:nist-low');
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'security-management-oscal-import:nist-low',
        frequency: { hours: 1 },
        scope: 'global',
      }),
    );
  });

  it('imports a catalog the size of the full SP 800-53 rev5 quickly', async () => {
    const big = synthesizedFullCatalog();
    const { provider, connection, files } = setup();
    files.set(TARGET, JSON.stringify(big));
    await provider.connect(connection);

    const started = performance.now();
    const outcome = await provider.run();
    const elapsed = performance.now() - started;

    expect(outcome).toEqual({ outcome: 'imported', requirementCount: 1192 });
    // Read, schema check, conversion and the mutation handed to the catalog;
    // the catalog's own processing is measured in the real-catalog test.
    // eslint-disable-next-line no-console
    console.log(
      `OSCAL import of 1,192 controls and enhancements (${(
        JSON.stringify(big).length /
        1024 /
        1024
      ).toFixed(1)} MB): ${elapsed.toFixed(0)} ms`,
    );
  });
});
