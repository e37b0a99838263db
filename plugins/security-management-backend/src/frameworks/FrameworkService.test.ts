import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  BACKUP,
  CART,
  control,
  createStores,
  DAY,
  DB,
  ENTITIES,
  MFA,
  PAY,
  SHOP,
  TESTER,
  TLS,
} from '../__testUtils__/stores';
import { SecurityStores } from '../database';
import { DatabaseFrameworkStore } from './DatabaseFrameworkStore';
import { StoredRequirement } from './FrameworkStore';
import { FrameworkService } from './FrameworkService';

jest.setTimeout(60_000);

const NIST = 'nist-sp-800-53-rev5';
const LONELY = 'component:default/lonely';

function requirement(
  controlId: string,
  label: string,
  title: string,
): StoredRequirement {
  return {
    requirementRef: `securityrequirement:default/${NIST}-${controlId}`,
    framework: NIST,
    frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
    controlId,
    label,
    title,
    family: 'Family',
    importId: 'nist-low',
  };
}

/**
 * The library: TLS satisfies SC-8 and an ISO control; MFA satisfies
 * IA-2(1), named by its label; BACKUP satisfies CP-9 and names XX-99, which
 * the LOW baseline does not have. AC-2 and IA-2 have no control.
 */
const LIBRARY = [
  {
    ...control(TLS, 'P90D'),
    frameworks: [
      { framework: NIST, ref: 'SC-8' },
      { framework: 'iso-27001-2022', ref: 'A.8.24' },
    ],
  },
  {
    ...control(MFA, 'P30D'),
    frameworks: [{ framework: NIST, ref: 'IA-2(1)' }],
  },
  {
    ...control(BACKUP, 'P1M'),
    frameworks: [
      { framework: NIST, ref: 'cp-9' },
      { framework: NIST, ref: 'XX-99' },
    ],
  },
];

const REQUIREMENTS = [
  requirement('sc-8', 'SC-8', 'Transmission Confidentiality and Integrity'),
  requirement('ac-2', 'AC-2', 'Account Management'),
  requirement('ia-2.1', 'IA-2(1)', 'Multi-factor Authentication'),
  requirement('ia-2', 'IA-2', 'Identification and Authentication'),
  requirement('cp-9', 'CP-9', 'System Backup'),
];

describe('FrameworkService', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const { knex, stores } = await createStores(databases, databaseId);
    const now = new Date();
    await stores.applicability.replaceCatalogSnapshot({
      controls: LIBRARY,
      entities: ENTITIES,
      now,
    });
    const store = await DatabaseFrameworkStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await store.replaceRequirements({ requirements: REQUIREMENTS, now });
    const service = new FrameworkService({
      store,
      applicability: stores.applicability,
      posture: stores.posture,
      catalog: {
        getEntityByRef: async ref =>
          ref === LONELY
            ? {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'lonely', title: 'Lonely service' },
              }
            : undefined,
      },
      reviewDueSoon: 'P30D',
      logger: mockServices.logger.mock(),
    });
    await record(stores, now, [
      { controlRef: MFA, entityRef: SHOP, result: 'pass', evidence: 'mfa-1' },
      { controlRef: TLS, entityRef: SHOP, result: 'fail', evidence: 'tls-7' },
    ]);
    await approveException(knex, {
      controlRef: MFA,
      entityRef: PAY,
      justification: 'Hardware keys arrive in Q1',
      now,
    });
    return { service, stores, now };
  }

  async function record(
    stores: SecurityStores,
    now: Date,
    records: Array<{
      controlRef: string;
      entityRef: string;
      result: 'pass' | 'fail';
      evidence: string;
    }>,
  ) {
    await stores.testing.addTestRecords({
      records: records.map(r => ({
        controlRef: r.controlRef,
        entityRef: r.entityRef,
        result: r.result,
        testedAt: new Date(now.getTime() - DAY).toISOString(),
        method: 'automated' as const,
        evidenceUrl: `https://ci.example.com/${r.evidence}`,
      })),
      tester: TESTER,
      now,
    });
  }

  async function approveException(
    knex: Knex,
    options: {
      controlRef: string;
      entityRef: string;
      justification: string;
      now: Date;
    },
  ) {
    await knex('exceptions').insert({
      id: 'x1',
      control_ref: options.controlRef,
      entity_ref: options.entityRef,
      justification: options.justification,
      status: 'approved',
      requested_by: 'user:default/alice',
      requested_at: options.now.getTime() - DAY,
      decided_by: 'user:default/carol',
      decided_at: options.now.getTime() - DAY,
      expires_at: Date.parse('2099-01-01T00:00:00Z'),
    });
  }

  it.each(databases.eachSupportedId())(
    "lists every requirement of an imported framework in a service's Statement of Applicability, %p",
    async databaseId => {
      const { service, now } = await setup(databaseId);
      const soa = await service.statementOfApplicability({
        entityRef: SHOP,
        framework: NIST,
        credentials: mockCredentials.user(),
        now,
      });
      expect(soa).toMatchObject({
        entityRef: SHOP,
        entityTitle: 'Shop',
        framework: NIST,
        frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
        source: 'imported',
        generatedAt: now.toISOString(),
        summary: {
          requirementCount: 5,
          applicableCount: 2,
          notApplicableCount: 3,
          byStatus: {
            passing: 1,
            failing: 1,
            overdue: 0,
            untested: 0,
            excepted: 0,
          },
        },
        warnings: [],
      });
      const byLabel = Object.fromEntries(
        soa.requirements.map(r => [r.label, r]),
      );
      // In the framework's order, ids compared naturally.
      expect(soa.requirements.map(r => r.controlId)).toEqual([
        'ac-2',
        'cp-9',
        'ia-2',
        'ia-2.1',
        'sc-8',
      ]);
      expect(byLabel['AC-2']).toEqual({
        requirementRef: `securityrequirement:default/${NIST}-ac-2`,
        controlId: 'ac-2',
        label: 'AC-2',
        title: 'Account Management',
        family: 'Family',
        applicable: false,
        justification: 'No control in the library satisfies this requirement.',
        controls: [],
      });
      expect(byLabel['CP-9']).toMatchObject({
        applicable: false,
        justification:
          'No control that satisfies it applies to this entity (it is satisfied by BACKUP where those apply).',
        controls: [{ controlRef: BACKUP, title: 'BACKUP', applies: false }],
      });
      expect(byLabel['IA-2(1)']).toMatchObject({
        applicable: true,
        status: 'passing',
        controls: [
          {
            controlRef: MFA,
            applies: true,
            status: 'passing',
            lastResult: 'pass',
            lastTestedAt: new Date(now.getTime() - DAY).toISOString(),
            evidenceUrl: 'https://ci.example.com/mfa-1',
          },
        ],
      });
      expect(byLabel['IA-2(1)'].justification).toBeUndefined();
      expect(byLabel['SC-8']).toMatchObject({
        applicable: true,
        status: 'failing',
        controls: [{ controlRef: TLS, status: 'failing' }],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'gives an excepted requirement its justification and warns of mappings that name no requirement, %p',
    async databaseId => {
      const { service, now } = await setup(databaseId);
      const soa = await service.statementOfApplicability({
        entityRef: PAY,
        framework: NIST,
        credentials: mockCredentials.user(),
        now,
      });
      const ia21 = soa.requirements.find(r => r.label === 'IA-2(1)')!;
      expect(ia21).toMatchObject({
        applicable: true,
        status: 'excepted',
        justification:
          'Risk accepted: MFA: Hardware keys arrive in Q1 (until 2099-01-01)',
      });
      expect(soa.requirements.find(r => r.label === 'CP-9')).toMatchObject({
        applicable: true,
        status: 'untested',
      });
      expect(soa.warnings).toEqual([
        {
          controlRef: BACKUP,
          controlTitle: 'BACKUP',
          ref: 'XX-99',
          message: `BACKUP maps to ${NIST} 'XX-99', which names no requirement of the imported NIST SP 800-53 Rev 5 LOW baseline`,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "shows the organisation's coverage of a framework by status, %p",
    async databaseId => {
      const { service, now } = await setup(databaseId);
      const coverage = await service.coverage({ framework: NIST, now });
      expect(coverage.summary).toEqual({
        requirementCount: 5,
        coveredCount: 3,
        uncoveredCount: 2,
        byStatus: {
          passing: 0,
          failing: 1,
          overdue: 0,
          untested: 1,
          excepted: 1,
          'not-applied': 0,
          uncovered: 2,
        },
      });
      const sc8 = coverage.requirements.find(r => r.label === 'SC-8')!;
      expect(sc8).toMatchObject({
        covered: true,
        status: 'failing',
        applicableCount: 3,
        counts: { failing: 1, untested: 2 },
        controls: [{ controlRef: TLS, applicableCount: 3 }],
      });
      expect(
        coverage.requirements.find(r => r.label === 'IA-2(1)'),
      ).toMatchObject({
        status: 'excepted',
        counts: { passing: 1, excepted: 1 },
      });
      expect(coverage.requirements.find(r => r.label === 'AC-2')).toMatchObject(
        { covered: false, status: 'uncovered', applicableCount: 0 },
      );
      expect(coverage.warnings.map(w => w.ref)).toEqual(['XX-99']);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes the requirements of a framework only mapped from the controls, %p',
    async databaseId => {
      const { service, now } = await setup(databaseId);
      const soa = await service.statementOfApplicability({
        entityRef: CART,
        framework: 'iso-27001-2022',
        credentials: mockCredentials.user(),
        now,
      });
      expect(soa).toMatchObject({
        frameworkTitle: 'ISO/IEC 27001:2022 Annex A',
        source: 'mapped',
        requirements: [
          {
            label: 'A.8.24',
            applicable: true,
            status: 'untested',
            controls: [{ controlRef: TLS, applies: true }],
          },
        ],
      });
      expect(soa.requirements[0].requirementRef).toBeUndefined();
      await expect(service.listFrameworks()).resolves.toEqual({
        items: [
          {
            framework: NIST,
            title: 'NIST SP 800-53 Rev 5 LOW baseline',
            source: 'imported',
            requirementCount: 5,
            controlCount: 3,
          },
          {
            framework: 'iso-27001-2022',
            title: 'ISO/IEC 27001:2022 Annex A',
            source: 'mapped',
            requirementCount: 1,
            controlCount: 1,
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'answers for an entity no control applies to, and refuses what is unknown, %p',
    async databaseId => {
      const { service, now } = await setup(databaseId);
      const credentials = mockCredentials.user();
      const lonely = await service.statementOfApplicability({
        entityRef: LONELY,
        framework: NIST,
        credentials,
        now,
      });
      expect(lonely.entityTitle).toBe('Lonely service');
      expect(lonely.summary).toMatchObject({
        requirementCount: 5,
        applicableCount: 0,
      });
      // Stored by the catalog sync, with no control.
      const db = await service.statementOfApplicability({
        entityRef: DB,
        framework: NIST,
        credentials,
        now,
      });
      expect(db.requirements.every(r => !r.applicable)).toBe(true);
      await expect(
        service.statementOfApplicability({
          entityRef: 'component:default/ghost',
          framework: NIST,
          credentials,
          now,
        }),
      ).rejects.toThrow('Entity component:default/ghost is not in the catalog');
      await expect(
        service.coverage({ framework: 'soc2-2017', now }),
      ).rejects.toThrow(
        "No requirement of framework 'soc2-2017' is known: no OSCAL import brings it and no control maps to it",
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves no query running once it has refused an unknown framework, %p',
    async databaseId => {
      const { service, stores, now } = await setup(databaseId);
      let running = 0;
      const listControls = stores.applicability.listControls.bind(
        stores.applicability,
      );
      jest
        .spyOn(stores.applicability, 'listControls')
        .mockImplementation(async () => {
          running += 1;
          try {
            return await listControls();
          } finally {
            running -= 1;
          }
        });
      await expect(
        service.coverage({ framework: 'soc2-2017', now }),
      ).rejects.toThrow("No requirement of framework 'soc2-2017' is known");
      // The route answers 404 here; a query still running would meet a
      // closed pool when the backend stops.
      expect(running).toBe(0);
    },
  );
});
