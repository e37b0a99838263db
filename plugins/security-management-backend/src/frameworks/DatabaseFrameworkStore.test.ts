import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseFrameworkStore } from './DatabaseFrameworkStore';
import { StoredRequirement } from './FrameworkStore';
import { recordImportEvent } from './importEvents';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const HOUR = 3600_000;

function requirement(
  controlId: string,
  overrides: Partial<StoredRequirement> = {},
): StoredRequirement {
  return {
    requirementRef: `securityrequirement:default/nist-sp-800-53-rev5-${controlId}`,
    framework: 'nist-sp-800-53-rev5',
    frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
    controlId,
    label: controlId.toUpperCase(),
    title: `Requirement ${controlId}`,
    importId: 'nist-low',
    ...overrides,
  };
}

describe('DatabaseFrameworkStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseFrameworkStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'replaces the requirements with each sync, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await expect(
        store.replaceRequirements({
          requirements: [
            requirement('ac-2'),
            requirement('ac-2.1', { label: 'AC-2(1)', parent: 'ac-2' }),
            requirement('a.5.1', {
              requirementRef: 'securityrequirement:default/iso-a.5.1',
              framework: 'iso-27001-2022',
              frameworkTitle: 'ISO/IEC 27001:2022',
              importId: undefined,
            }),
          ],
          now: NOW,
        }),
      ).resolves.toEqual({
        requirementCount: 3,
        frameworkCount: 2,
        removedCount: 0,
      });
      expect(await store.listRequirements('nist-sp-800-53-rev5')).toEqual([
        requirement('ac-2'),
        requirement('ac-2.1', { label: 'AC-2(1)', parent: 'ac-2' }),
      ]);

      // The next sync drops what the catalog no longer holds and updates
      // what changed.
      await expect(
        store.replaceRequirements({
          requirements: [requirement('ac-2', { title: 'Account Management' })],
          now: new Date(NOW.getTime() + HOUR),
        }),
      ).resolves.toEqual({
        requirementCount: 1,
        frameworkCount: 1,
        removedCount: 2,
      });
      expect(await store.listRequirements('nist-sp-800-53-rev5')).toEqual([
        requirement('ac-2', { title: 'Account Management' }),
      ]);
      expect(await store.listImportedFrameworks()).toEqual([
        {
          framework: 'nist-sp-800-53-rev5',
          title: 'NIST SP 800-53 Rev 5 LOW baseline',
          requirementCount: 1,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last successful import beside a later failure, and ignores late reports, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const base = {
        importId: 'nist-low',
        framework: 'nist-sp-800-53-rev5',
        target: 'https://example.com/low.json',
      };
      await store.recordImportRun({
        ...base,
        outcome: 'imported',
        at: NOW.getTime(),
        requirementCount: 149,
      });
      await store.recordImportRun({
        ...base,
        outcome: 'failed',
        at: NOW.getTime() + HOUR,
        message: 'not a valid OSCAL catalog',
      });
      // A report of an earlier run, delivered late, changes nothing.
      await store.recordImportRun({
        ...base,
        outcome: 'imported',
        at: NOW.getTime() - HOUR,
        requirementCount: 10,
      });
      expect(await store.listImports()).toEqual([
        {
          ...base,
          lastOutcome: 'failed',
          lastRunAt: new Date(NOW.getTime() + HOUR).toISOString(),
          lastImportedAt: NOW.toISOString(),
          requirementCount: 149,
          error: 'not a valid OSCAL catalog',
        },
      ]);

      await store.recordImportRun({
        ...base,
        outcome: 'imported',
        at: NOW.getTime() + 2 * HOUR,
        requirementCount: 150,
      });
      expect(await store.listImports()).toEqual([
        {
          ...base,
          lastOutcome: 'imported',
          lastRunAt: new Date(NOW.getTime() + 2 * HOUR).toISOString(),
          lastImportedAt: new Date(NOW.getTime() + 2 * HOUR).toISOString(),
          requirementCount: 150,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records the reports the catalog module publishes and drops anything else, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const logger = mockServices.logger.mock();
      await recordImportEvent({
        store,
        logger,
        event: {
          topic: 'security-management.framework-imports',
          eventPayload: {
            importId: 'nist-low',
            framework: 'nist-sp-800-53-rev5',
            target: 'file:///data/low.json',
            at: '2026-06-01T02:00:00+02:00',
            outcome: 'failed',
            message: 'OSCAL import nist-low failed: not JSON',
          },
        },
      });
      await recordImportEvent({
        store,
        logger,
        event: {
          topic: 'security-management.framework-imports',
          eventPayload: { hello: 'world' },
        },
      });
      expect(await store.listImports()).toEqual([
        {
          importId: 'nist-low',
          framework: 'nist-sp-800-53-rev5',
          target: 'file:///data/low.json',
          lastOutcome: 'failed',
          lastRunAt: NOW.toISOString(),
          error: 'OSCAL import nist-low failed: not JSON',
        },
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Ignoring an event on security-management.framework-imports that is not an OSCAL import report',
        ),
      );
    },
  );
});
