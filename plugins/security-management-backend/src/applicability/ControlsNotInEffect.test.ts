import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SECURITY_CONTROL_API_VERSION,
  validateSecurityControlEntity,
} from '@open-itsm/plugin-security-management-common';
import {
  CATALOG_CONFLICTS_TOPIC,
  CATALOG_ERRORS_TOPIC,
  catalogErrorRetentionMs,
  classifyCatalogError,
  ControlsNotInEffect,
  readableCatalogError,
} from './ControlsNotInEffect';
import { DatabaseCatalogProblemStore } from './DatabaseCatalogProblemStore';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const MINUTE = 60_000;
const RETENTION = 10 * MINUTE;

const processingError = (message: string) => ({
  type: 'backstage.io/catalog-processing',
  level: 'error',
  message: `InputError: ${message}`,
  error: { name: 'InputError', message },
});

function control(
  name: string,
  spec: Record<string, unknown>,
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: SECURITY_CONTROL_API_VERSION,
    kind: 'SecurityControl',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': 'file:/catalog/controls.yaml',
        'backstage.io/managed-by-origin-location':
          'file:/catalog/controls.yaml',
      },
    },
    spec: {
      owner: 'group:default/security-team',
      category: 'technical',
      criticality: 'high',
      testing: { cadence: 'P90D', method: 'manual' },
      ...spec,
    },
    ...extra,
  };
}

function locationEntity(
  name: string,
  target: string,
  errors: string[],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${target}`,
        'backstage.io/managed-by-origin-location': `file:${target}`,
      },
    },
    spec: { type: 'file', target },
    ...(errors.length
      ? { status: { items: errors.map(processingError) } }
      : {}),
  } as Entity;
}

/** The error the catalog reports for a control of an unknown version. */
function unsupportedVersionError(ref: string): InputError {
  let cause: unknown;
  try {
    validateSecurityControlEntity({
      apiVersion: 'security.open-itsm.dev/v2',
      kind: 'SecurityControl',
      metadata: { name: 'future' },
    });
  } catch (e) {
    cause = e;
  }
  return new InputError(
    `Processor SecurityControlProcessor threw an error while validating the entity ${ref}`,
    cause,
  );
}

const YAML_ERROR =
  'YAML error at file:/catalog/broken.yaml, YAMLParseError: Flow map in block collection must be sufficiently indented and end with a } at line 4, column 1:\n\nmetadata: { name: x\nspec: [unclosed\n^\n';

describe('ControlsNotInEffect', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup(entities: Entity[] = []) {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseCatalogProblemStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    const catalog = catalogServiceMock({ entities });
    const notInEffect = new ControlsNotInEffect({
      catalog,
      auth: mockServices.auth({ pluginId: 'security-management' }),
      store,
      logger: mockServices.logger.mock(),
      errorRetentionMs: RETENTION,
    });
    return { store, notInEffect };
  }

  it('lists controls and locations whose processing errors are in the catalog', async () => {
    const { notInEffect } = await setup([
      control('valid', {}),
      control('broken', { testing: { cadence: '90 days', method: 'manual' } }, {
        status: {
          items: [
            processingError(
              "Invalid SecurityControl securitycontrol:default/broken: spec.testing.cadence '90 days' is not a positive ISO-8601 duration such as P90D",
            ),
          ],
        },
      } as Partial<Entity>),
      locationEntity('generated-good', '/catalog/controls.yaml', []),
      locationEntity('generated-later', '/catalog/later.yaml', [YAML_ERROR]),
    ]);

    expect(await notInEffect.list(NOW)).toEqual([
      {
        ref: 'securitycontrol:default/broken',
        name: 'broken',
        failure: 'invalid-definition',
        reason:
          "spec.testing.cadence '90 days' is not a positive ISO-8601 duration such as P90D",
        location: 'file:/catalog/controls.yaml',
        originLocation: 'file:/catalog/controls.yaml',
        source: 'catalog-entity',
      },
      {
        ref: 'location:default/generated-later',
        name: '/catalog/later.yaml',
        failure: 'unreadable-location',
        reason:
          'YAML error at file:/catalog/broken.yaml, YAMLParseError: Flow map in block collection must be sufficiently indented and end with a } at line 4, column 1',
        location: 'file:/catalog/later.yaml',
        originLocation: 'file:/catalog/later.yaml',
        source: 'catalog-entity',
      },
    ]);
  });

  it('says when the catalog keeps the last version of a control it could process', async () => {
    const { notInEffect } = await setup([
      control('kept', {}, {
        status: {
          items: [
            processingError(
              unsupportedVersionError('securitycontrol:default/kept').message,
            ),
          ],
        },
      } as Partial<Entity>),
    ]);
    const [item] = await notInEffect.list(NOW);
    expect(item).toMatchObject({
      failure: 'unsupported-version',
      reason: expect.stringMatching(
        /^apiVersion 'security.open-itsm.dev\/v2' is not supported for SecurityControl; .*This version is not in effect; the catalog keeps the last version it could process$/,
      ),
    });
  });

  it('records the catalog errors about controls and locations it could not store', async () => {
    const { notInEffect } = await setup();
    const report = (entity: string, location: string, errors: unknown[]) =>
      notInEffect.record(
        {
          topic: CATALOG_ERRORS_TOPIC,
          eventPayload: { entity, location, errors },
        },
        NOW,
      );
    await report('securitycontrol:default/bad name!', 'file:/c/names.yaml', [
      new InputError(
        'Policy check failed for securitycontrol:default/bad name!',
        new Error(
          '"metadata.name" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found "Bad Name!". To learn more about catalog file format, visit: https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/adr002-default-catalog-file-format.md',
        ),
      ),
    ]);
    await report('securitycontrol:default/future', 'file:/c/v2.yaml', [
      unsupportedVersionError('securitycontrol:default/future'),
    ]);
    await report('securitycontrol:default/foreign', 'file:/c/foreign.yaml', [
      new InputError(
        'No processor recognized the entity securitycontrol:default/foreign as valid, possibly caused by a foreign kind or apiVersion',
      ),
    ]);
    await report('location:default/generated-1', 'file:/c/broken.yaml', [
      new Error(YAML_ERROR),
    ]);
    await report('location:default/generated-2', 'file:/c/kinds.yaml', [
      new NotAllowedError(
        'Entity securitykontrol:default/typo at file:/c/kinds.yaml, originated at file:/c/kinds.yaml, is not of an allowed kind for that location',
      ),
    ]);
    // Not a control: left to the catalog's own views.
    await report('component:default/shop', 'file:/c/shop.yaml', [
      new InputError('Policy check failed for component:default/shop'),
    ]);

    const reportedAt = NOW.toISOString();
    expect(await notInEffect.list(NOW)).toEqual([
      {
        ref: 'location:default/generated-1',
        name: '/c/broken.yaml',
        failure: 'unreadable-location',
        reason:
          'YAML error at file:/catalog/broken.yaml, YAMLParseError: Flow map in block collection must be sufficiently indented and end with a } at line 4, column 1',
        location: 'file:/c/broken.yaml',
        source: 'catalog-event',
        reportedAt,
      },
      {
        ref: 'securitycontrol:default/foreign',
        name: 'foreign',
        failure: 'unrecognized-kind',
        reason:
          'No processor recognized the entity securitycontrol:default/foreign as valid, possibly caused by a foreign kind or apiVersion',
        location: 'file:/c/foreign.yaml',
        source: 'catalog-event',
        reportedAt,
      },
      {
        ref: 'location:default/generated-2',
        name: '/c/kinds.yaml',
        failure: 'unreadable-location',
        reason:
          'Entity securitykontrol:default/typo at file:/c/kinds.yaml, originated at file:/c/kinds.yaml, is not of an allowed kind for that location',
        location: 'file:/c/kinds.yaml',
        source: 'catalog-event',
        reportedAt,
      },
      {
        ref: 'securitycontrol:default/bad name!',
        name: 'bad name!',
        failure: 'invalid-metadata',
        reason:
          '"metadata.name" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found "Bad Name!".',
        location: 'file:/c/names.yaml',
        source: 'catalog-event',
        reportedAt,
      },
      {
        ref: 'securitycontrol:default/future',
        name: 'future',
        failure: 'unsupported-version',
        reason:
          "apiVersion 'security.open-itsm.dev/v2' is not supported for SecurityControl; use 'security.open-itsm.dev/v1alpha1'",
        location: 'file:/c/v2.yaml',
        source: 'catalog-event',
        reportedAt,
      },
    ]);
  });

  it('drops an error once the entity is in the catalog or no longer reported', async () => {
    const fixed = control('fixed', {});
    const { notInEffect } = await setup([fixed]);
    for (const [name, at] of [
      ['fixed', NOW],
      ['stale', new Date(NOW.getTime() - RETENTION - 1)],
      ['recent', new Date(NOW.getTime() - RETENTION + MINUTE)],
    ] as const) {
      await notInEffect.record(
        {
          topic: CATALOG_ERRORS_TOPIC,
          eventPayload: {
            entity: `securitycontrol:default/${name}`,
            errors: [new InputError('Policy check failed')],
          },
        },
        at,
      );
    }
    expect((await notInEffect.list(NOW)).map(item => item.ref)).toEqual([
      'securitycontrol:default/recent',
    ]);
  });

  it('lists a conflict with both locations for as long as it lasts', async () => {
    const kept = control('dup', {});
    const { store, notInEffect } = await setup([kept]);
    await notInEffect.record(
      {
        topic: CATALOG_CONFLICTS_TOPIC,
        eventPayload: {
          unprocessedEntity: {
            ...control('dup', {}),
            metadata: {
              name: 'dup',
              title: 'Duplicate control',
              annotations: {
                'backstage.io/managed-by-location': 'file:/catalog/dup.yaml',
                'backstage.io/managed-by-origin-location':
                  'file:/catalog/dup.yaml',
              },
            },
          },
          entityRef: 'securitycontrol:default/dup',
          newLocationKey: 'file:/catalog/dup.yaml',
          existingLocationKey: 'file:/catalog/controls.yaml',
          lastConflictAt: '2026-06-01T11:00:00.000+00:00',
        },
      },
      NOW,
    );
    // Conflicts about other kinds are not about controls.
    await notInEffect.record(
      {
        topic: CATALOG_CONFLICTS_TOPIC,
        eventPayload: {
          entityRef: 'component:default/shop',
          newLocationKey: 'file:/b.yaml',
          existingLocationKey: 'file:/a.yaml',
        },
      },
      NOW,
    );

    // Long after: the catalog reports a conflict only once.
    const later = new Date(NOW.getTime() + 7 * 24 * 60 * MINUTE);
    expect(await notInEffect.list(later)).toEqual([
      {
        ref: 'securitycontrol:default/dup',
        name: 'Duplicate control',
        failure: 'conflict',
        reason:
          'securitycontrol:default/dup is also defined in file:/catalog/controls.yaml, which the catalog read first and keeps; this definition is ignored. Rename one of them or remove the duplicate',
        location: 'file:/catalog/dup.yaml',
        originLocation: 'file:/catalog/dup.yaml',
        conflictingLocation: 'file:/catalog/controls.yaml',
        source: 'catalog-event',
        reportedAt: '2026-06-01T11:00:00.000Z',
      },
    ]);
    expect(await store.listCatalogProblems()).toHaveLength(1);
  });

  it('forgets a conflict once the control it lost to has left the catalog', async () => {
    const { store, notInEffect } = await setup([]);
    await store.recordCatalogProblem({
      type: 'conflict',
      entityRef: 'securitycontrol:default/dup',
      location: 'file:/catalog/dup.yaml',
      conflictingLocation: 'file:/catalog/controls.yaml',
      messages: [],
      reportedAt: NOW,
    });
    // The kept control is not stored yet right after the conflict.
    expect(await notInEffect.list(NOW)).toEqual([
      expect.objectContaining({ failure: 'conflict' }),
    ]);
    expect(
      await notInEffect.list(new Date(NOW.getTime() + RETENTION + 1)),
    ).toEqual([]);
    expect(await store.listCatalogProblems()).toEqual([]);
  });

  it('forgets a conflict once the losing location holds the control', async () => {
    const { store, notInEffect } = await setup([
      control(
        'dup',
        {},
        {
          metadata: {
            name: 'dup',
            namespace: 'default',
            annotations: {
              'backstage.io/managed-by-location': 'file:/catalog/dup.yaml',
            },
          },
        },
      ),
    ]);
    await store.recordCatalogProblem({
      type: 'conflict',
      entityRef: 'securitycontrol:default/dup',
      location: 'file:/catalog/dup.yaml',
      conflictingLocation: 'file:/catalog/controls.yaml',
      messages: [],
      reportedAt: NOW,
    });
    expect(await notInEffect.list(NOW)).toEqual([]);
    expect(await store.listCatalogProblems()).toEqual([]);
  });

  it('says so when an error reached it without its message', async () => {
    const { notInEffect } = await setup();
    // What an Error looks like after JSON, through an event bus.
    await notInEffect.record(
      {
        topic: CATALOG_ERRORS_TOPIC,
        eventPayload: JSON.parse(
          JSON.stringify({
            entity: 'securitycontrol:default/x',
            errors: [new InputError('lost')],
          }),
        ),
      },
      NOW,
    );
    expect(await notInEffect.list(NOW)).toEqual([
      expect.objectContaining({
        failure: 'processing-error',
        reason: "InputError (the catalog's report carried no message)",
      }),
    ]);
  });
});

describe('classifyCatalogError and readableCatalogError', () => {
  it('keep a message without causes as it is', () => {
    expect(classifyCatalogError('securitycontrol', 'Something else')).toBe(
      'processing-error',
    );
    expect(readableCatalogError('Something else')).toBe('Something else');
  });
});

describe('catalogErrorRetentionMs', () => {
  it('allows three of the catalog processing intervals, at least ten minutes', () => {
    expect(catalogErrorRetentionMs(new ConfigReader({}))).toBe(10 * MINUTE);
    expect(
      catalogErrorRetentionMs(
        new ConfigReader({ catalog: { processingInterval: { minutes: 5 } } }),
      ),
    ).toBe(22.5 * MINUTE);
    expect(
      catalogErrorRetentionMs(
        new ConfigReader({ catalog: { processingInterval: false } }),
      ),
    ).toBe(10 * MINUTE);
  });
});
