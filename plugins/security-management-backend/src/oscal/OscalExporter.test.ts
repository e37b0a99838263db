import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ControlSummary } from '@open-itsm/plugin-security-management-common';
import { StoredEntity } from '../applicability/ApplicabilityStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { createSecurityStores, SecurityStores } from '../database';
import { NewTestRecord } from '../testing/TestingStore';
import {
  assessmentResultsProblems,
  componentDefinitionProblems,
} from './__testUtils__/validateOscal';
import { OscalExporter } from './OscalExporter';

jest.setTimeout(60_000);

const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) =>
  new Date(NOW.getTime() - days * DAY).toISOString();

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger';
const LIB = 'component:default/money-lib';
const TLS = 'securitycontrol:default/encrypt-data-in-transit';
const MFA = 'securitycontrol:default/mfa-admin-access';
const BACKUP = 'securitycontrol:default/backup-restore-drill';
const PENTEST = 'securitycontrol:default/annual-pentest';

function control(
  ref: string,
  fields: Partial<ControlSummary> = {},
): ControlSummary {
  return {
    ref,
    title: ref.split('/')[1],
    owner: 'group:default/security-team',
    category: 'technical',
    criticality: 'high',
    cadence: 'P90D',
    method: 'automated',
    frameworks: [],
    ...fields,
  };
}

const CONTROLS = [
  control(TLS, {
    title: 'Encrypt data in transit',
    description:
      'Network traffic that carries customer data uses TLS 1.2 or newer.',
    procedure: 'Scan every endpoint;\nfail on any protocol older than TLS 1.2.',
    criticality: 'critical',
    frameworks: [
      { framework: 'nist-sp-800-53-rev5', ref: 'SC-8' },
      { framework: 'nist-sp-800-53-rev5', ref: 'SC-8(1)' },
      { framework: 'iso-27001-2022', ref: 'A.8.24' },
      { framework: 'soc2-2017', ref: 'CC6.7' },
    ],
  }),
  control(MFA, {
    title: 'MFA for admin access',
    method: 'manual',
    cadence: 'P30D',
    frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'IA-2(1)' }],
  }),
  control(BACKUP, {
    title: 'Backup restore drill',
    category: 'procedural',
    method: 'audit',
    cadence: 'P1Y',
  }),
  control(PENTEST, {
    title: 'Annual penetration test',
    method: 'penetration-test',
    cadence: 'P1Y',
    frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'CA-8' }],
  }),
];

const ENTITIES: StoredEntity[] = [
  {
    entityRef: PAYMENTS,
    kind: 'Component',
    title: 'Payments API',
    owner: 'group:default/team-a',
    system: 'system:default/payments',
    domain: 'domain:default/finance',
    riskTier: 1,
    controlRefs: [TLS, MFA, BACKUP, PENTEST],
  },
  {
    entityRef: LEDGER,
    kind: 'Component',
    owner: 'group:default/team-b',
    riskTier: 2,
    controlRefs: [TLS],
  },
  {
    entityRef: LIB,
    kind: 'Component',
    riskTier: 3,
    controlRefs: [BACKUP],
  },
];

const CATALOG: Record<string, Entity> = {
  [PAYMENTS]: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      title: 'Payments API',
      description: 'Takes card payments for the shop.',
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
  [LIB]: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'money-lib' },
    spec: { type: 'library', lifecycle: 'experimental', owner: 'team-b' },
  },
};

function test(
  controlRef: string,
  result: NewTestRecord['result'],
  testedAt: string,
  fields: Partial<NewTestRecord> = {},
): NewTestRecord {
  return {
    controlRef,
    entityRef: PAYMENTS,
    result,
    testedAt,
    method: CONTROLS.find(c => c.ref === controlRef)!.method,
    ...fields,
  };
}

/** Pass and fail records with evidence over 14 months, and an exception. */
async function seed(stores: SecurityStores) {
  await stores.applicability.replaceCatalogSnapshot({
    controls: CONTROLS,
    entities: ENTITIES,
    now: NOW,
  });
  await stores.testing.addTestRecords({
    records: [
      test(PENTEST, 'pass', ago(400), {
        evidenceUrl: 'https://pentest.example.com/reports/2025.pdf',
      }),
      test(TLS, 'pass', ago(200), {
        evidenceUrl: 'https://ci.example.com/runs/100',
        externalId: 'tls-100',
      }),
      test(MFA, 'fail', ago(100), { notes: 'Two admins without MFA.' }),
      test(BACKUP, 'partial', ago(20), {
        evidenceUrl: 'https://wiki.example.com/drills/2026|q2^notes',
        notes: 'Restore took 5 hours.\nTarget is 4.',
      }),
      test(TLS, 'fail', ago(10), {
        evidenceUrl: 'https://ci.example.com/runs/200',
        externalId: 'tls-200',
      }),
      test(MFA, 'pass', ago(5), {
        evidenceUrl: 'https://idp.example.com/audit/mfa',
      }),
    ],
    tester: 'user:default/tester',
    now: NOW,
  });
  const exception = await stores.exceptions.requestException({
    input: {
      controlRef: PENTEST,
      entityRef: PAYMENTS,
      justification: 'The pentest vendor changes;\nnext test in July.',
      expiresAt: ago(-60),
    },
    requestedBy: 'user:default/dev',
    now: NOW,
  });
  await stores.exceptions.decideException({
    id: exception.id,
    decision: 'approved',
    decidedBy: 'user:default/ciso',
    now: NOW,
  });
}

describe('OscalExporter', () => {
  const databases = createTestDatabases();
  const credentials = { $$type: '@backstage/BackstageCredentials' } as any;

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const stores = await createSecurityStores({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await seed(stores);
    const exporter = new OscalExporter({
      stores,
      catalog: { getEntityByRef: async ref => CATALOG[String(ref)] },
      logger: mockServices.logger.mock(),
      reviewDueSoon: 'P30D',
      baseUrl: 'https://backstage.example.com/',
    });
    return { stores, exporter };
  }

  describe('component definition', () => {
    it.each(databases.eachSupportedId())(
      'is valid OSCAL: controls by framework, unmapped ones under the control library, %p',
      async databaseId => {
        const { exporter } = await setUp(databaseId);
        const doc = await exporter.componentDefinition({
          entityRef: PAYMENTS,
          credentials,
          now: NOW,
        });
        expect(componentDefinitionProblems(doc)).toEqual([]);

        const definition = doc!['component-definition'];
        expect(definition.metadata).toMatchObject({
          title: 'Security controls of Payments API',
          'last-modified': NOW.toISOString(),
          version: expect.stringMatching(/^[0-9a-f]{16}$/),
          'oscal-version': '1.0.6',
          parties: [
            {
              uuid: expect.any(String),
              type: 'organization',
              name: 'group:default/team-a',
            },
          ],
        });
        const [component] = definition.components;
        expect(component).toMatchObject({
          type: 'service',
          title: 'Payments API',
          description: 'Takes card payments for the shop.',
          'responsible-roles': [
            {
              'role-id': 'provider',
              'party-uuids': [definition.metadata.parties![0].uuid],
            },
          ],
        });
        const props = Object.fromEntries(
          component.props!.map(p => [p.name, p.value]),
        );
        expect(props).toMatchObject({
          'entity-ref': PAYMENTS,
          'entity-type': 'service',
          lifecycle: 'production',
          'risk-tier': '1',
        });

        const resources = new Map(
          definition['back-matter']!.resources.map(r => [`#${r.uuid}`, r]),
        );
        const implementations = component['control-implementations']!;
        expect(
          implementations.map(i => [
            resources.get(i.source)?.title,
            i['implemented-requirements'].map(r => r['control-id']),
          ]),
        ).toEqual([
          ['ISO/IEC 27001:2022 Annex A', ['a.8.24']],
          ['NIST SP 800-53 Revision 5', ['ca-8', 'ia-2.1', 'sc-8', 'sc-8.1']],
          ['SOC 2 Trust Services Criteria (2017)', ['cc6.7']],
          ['Security Management control library', ['backup-restore-drill']],
        ]);
        expect(resources.get(implementations[1].source)?.rlinks).toEqual([
          {
            href: expect.stringMatching(
              /^https:\/\/raw\.githubusercontent\.com\/usnistgov\/oscal-content\/.*NIST_SP-800-53_rev5_catalog\.json$/,
            ),
            'media-type': 'application/oscal.catalog+json',
          },
        ]);

        const requirements = implementations.flatMap(
          i => i['implemented-requirements'],
        );
        const find = (id: string) =>
          requirements.find(r => r['control-id'] === id)!;
        const propsOf = (id: string) =>
          Object.fromEntries(find(id).props!.map(p => [p.name, p.value]));
        expect(find('sc-8.1').description).toBe(
          'Network traffic that carries customer data uses TLS 1.2 or newer.\n\nTest procedure: Scan every endpoint;\nfail on any protocol older than TLS 1.2.',
        );
        expect(propsOf('sc-8.1')).toEqual({
          framework: 'nist-sp-800-53-rev5',
          'framework-ref': 'SC-8(1)',
          'control-ref': TLS,
          'control-title': 'Encrypt data in transit',
          'control-owner': 'group:default/security-team',
          category: 'technical',
          criticality: 'critical',
          'test-cadence': 'P90D',
          'test-method': 'automated',
          status: 'failing',
          'last-result': 'fail',
          'last-tested': ago(10),
        });
        expect(find('sc-8.1').links).toEqual([
          {
            href: 'https://ci.example.com/runs/200',
            rel: 'evidence',
            text: 'Evidence of the latest test',
          },
        ]);
        expect(propsOf('ia-2.1')).toMatchObject({
          status: 'passing',
          'next-due': ago(-25),
        });
        expect(propsOf('backup-restore-drill')).toMatchObject({
          'control-ref': BACKUP,
          category: 'procedural',
          status: 'failing',
        });
        expect(propsOf('ca-8')).toMatchObject({
          status: 'excepted',
          'exception-expires': ago(-60),
        });
        expect(find('ca-8').remarks).toMatch(
          /^Accepted risk \(exception .+\) until .+: The pentest vendor changes;\nnext test in July\.$/,
        );
      },
    );

    it('is the same document, UUIDs and all, when exported again; UUIDs are per entity', async () => {
      const { exporter } = await setUp('SQLITE_3');
      const again = async (entityRef: string, now = NOW) =>
        (await exporter.componentDefinition({ entityRef, credentials, now }))!;
      const first = await again(PAYMENTS);
      expect(await again(PAYMENTS)).toEqual(first);

      const later = await again(PAYMENTS, new Date(NOW.getTime() + 1000));
      expect(later['component-definition'].metadata['last-modified']).not.toBe(
        first['component-definition'].metadata['last-modified'],
      );
      expect(later['component-definition'].components).toEqual(
        first['component-definition'].components,
      );
      expect(later['component-definition'].metadata.version).toBe(
        first['component-definition'].metadata.version,
      );

      // Every UUID the export defines is a name-based one (version 5).
      const uuids: string[] = [];
      JSON.stringify(first, (key, value) => {
        if (key === 'uuid') uuids.push(value);
        return value;
      });
      expect(uuids.length).toBeGreaterThan(10);
      for (const uuid of uuids) {
        expect(uuid).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
      }
      const ledger = await again(LEDGER);
      expect(ledger['component-definition'].uuid).not.toBe(
        first['component-definition'].uuid,
      );
      expect(ledger['component-definition'].components[0].uuid).not.toBe(
        first['component-definition'].components[0].uuid,
      );
    });

    it('describes an entity from the store when the caller may not see it in the catalog', async () => {
      const { exporter } = await setUp('SQLITE_3');
      const doc = await exporter.componentDefinition({
        entityRef: LEDGER,
        credentials,
        now: NOW,
      });
      expect(componentDefinitionProblems(doc)).toEqual([]);
      expect(doc!['component-definition'].components[0]).toMatchObject({
        type: 'service',
        title: LEDGER,
        description:
          'The Component component:default/ledger of the Backstage software catalog.',
      });
    });

    it('makes a library software, and knows no entity the plugin does not', async () => {
      const { exporter } = await setUp('SQLITE_3');
      const lib = await exporter.componentDefinition({
        entityRef: LIB,
        credentials,
        now: NOW,
      });
      expect(componentDefinitionProblems(lib)).toEqual([]);
      expect(lib!['component-definition'].components[0].type).toBe('software');
      expect(
        await exporter.componentDefinition({
          entityRef: 'component:default/unknown',
          credentials,
          now: NOW,
        }),
      ).toBeUndefined();
    });
  });

  it("is judged by NIST's schemas, which refuse what OSCAL does not allow", async () => {
    const { exporter } = await setUp('SQLITE_3');
    const definition = (await exporter.componentDefinition({
      entityRef: PAYMENTS,
      credentials,
      now: NOW,
    }))!;
    const [component] = definition['component-definition'].components;
    component.props![0].value = 'two\nlines';
    expect(componentDefinitionProblems(definition)).toContain(
      '/component-definition/components/0/props/0/value must match pattern "^\\S(.*\\S)?$"',
    );

    const results = (await exporter.assessmentResults({
      entityRef: PAYMENTS,
      credentials,
      now: NOW,
    }))!;
    const [result] = results['assessment-results'].results;
    result.observations![0].collected = '2026-05-27';
    result.findings![0].target['target-id'] = '2fa';
    const problems = assessmentResultsProblems(results);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\/assessment-results\/results\/0\/observations\/0\/collected /,
        ),
        expect.stringMatching(
          /^\/assessment-results\/results\/0\/findings\/0\/target\/target-id /,
        ),
      ]),
    );
  });

  describe('assessment results', () => {
    it.each(databases.eachSupportedId())(
      'is valid OSCAL: an observation per record of the last 365 days, a finding per control from its latest test, %p',
      async databaseId => {
        const { exporter } = await setUp(databaseId);
        const doc = await exporter.assessmentResults({
          entityRef: PAYMENTS,
          credentials,
          now: NOW,
        });
        expect(assessmentResultsProblems(doc)).toEqual([]);

        const results = doc!['assessment-results'];
        expect(results.metadata).toMatchObject({
          title:
            'Security test results of Payments API, 2025-06-01 to 2026-06-01',
          'oscal-version': '1.0.6',
        });
        const plan = results['back-matter'].resources.find(
          r => `#${r.uuid}` === results['import-ap'].href,
        );
        expect(plan?.rlinks).toEqual([
          {
            href: 'https://backstage.example.com/api/security-management/oscal/component-definition?entityRef=component%3Adefault%2Fpayments-api',
            'media-type': 'application/oscal.component-definition+json',
          },
        ]);

        const [result] = results.results;
        expect(result.start).toBe(ago(365));
        expect(result.end).toBe(NOW.toISOString());
        const component = result['local-definitions'].components[0];
        expect(component).toMatchObject({
          type: 'service',
          status: { state: 'operational' },
        });
        expect(
          result['reviewed-controls']['control-selections'][0][
            'include-controls'
          ],
        ).toEqual([
          { 'control-id': 'backup-restore-drill' },
          { 'control-id': 'encrypt-data-in-transit' },
          { 'control-id': 'mfa-admin-access' },
        ]);

        // The pentest of 400 days ago is outside the period.
        const observations = result.observations!;
        expect(
          observations.map(o => [o.collected, o.title, o.methods]),
        ).toEqual([
          [ago(5), 'MFA for admin access: pass', ['EXAMINE']],
          [ago(10), 'Encrypt data in transit: fail', ['TEST']],
          [ago(20), 'Backup restore drill: partial', ['EXAMINE']],
          [ago(100), 'MFA for admin access: fail', ['EXAMINE']],
          [ago(200), 'Encrypt data in transit: pass', ['TEST']],
        ]);
        for (const observation of observations) {
          expect(observation.subjects).toEqual([
            {
              'subject-uuid': component.uuid,
              type: 'component',
              title: 'Payments API',
            },
          ]);
        }
        const drill = observations[2];
        expect(drill['relevant-evidence']).toEqual([
          {
            href: 'https://wiki.example.com/drills/2026%7Cq2%5Enotes',
            description: 'Evidence recorded with the test.',
          },
        ]);
        expect(drill.remarks).toBe('Restore took 5 hours.\nTarget is 4.');
        expect(observations[3]['relevant-evidence']).toBeUndefined();
        expect(
          Object.fromEntries(
            observations[1].props!.map(p => [p.name, p.value]),
          ),
        ).toMatchObject({
          'control-ref': TLS,
          result: 'fail',
          'test-method': 'automated',
          tester: 'user:default/tester',
          'external-id': 'tls-200',
        });

        const findings = result.findings!;
        expect(
          findings.map(f => [
            f.target['target-id'],
            f.target.status.state,
            f.target.status.reason,
            f['related-observations'].length,
          ]),
        ).toEqual([
          ['backup-restore-drill', 'not-satisfied', 'other', 1],
          ['encrypt-data-in-transit', 'not-satisfied', 'fail', 2],
          ['mfa-admin-access', 'satisfied', 'pass', 2],
        ]);
        expect(findings[1].props).toContainEqual(
          expect.objectContaining({
            name: 'framework-ref',
            class: 'nist-sp-800-53-rev5',
            value: 'SC-8(1)',
          }),
        );
        const observationUuids = new Set(observations.map(o => o.uuid));
        for (const finding of findings) {
          for (const related of finding['related-observations']) {
            expect(observationUuids.has(related['observation-uuid'])).toBe(
              true,
            );
          }
        }
      },
    );

    it.each(databases.eachSupportedId())(
      'is valid OSCAL for an entity with no test records, with nothing invented, %p',
      async databaseId => {
        const { exporter } = await setUp(databaseId);
        const doc = await exporter.assessmentResults({
          entityRef: LEDGER,
          credentials,
          now: NOW,
        });
        expect(assessmentResultsProblems(doc)).toEqual([]);
        const [result] = doc!['assessment-results'].results;
        expect(result.observations).toBeUndefined();
        expect(result.findings).toBeUndefined();
        expect(result['reviewed-controls']).toEqual({
          'control-selections': [
            { description: 'No control was tested in the period.' },
          ],
        });
        expect(result['local-definitions'].components[0]).toMatchObject({
          status: { state: 'other' },
        });

        const definition = await exporter.componentDefinition({
          entityRef: LEDGER,
          credentials,
          now: NOW,
        });
        expect(componentDefinitionProblems(definition)).toEqual([]);
      },
    );

    it('holds the records tested in [from, to], both ends included', async () => {
      const { exporter } = await setUp('SQLITE_3');
      const collected = async (from?: string, to?: string) => {
        const doc = await exporter.assessmentResults({
          entityRef: PAYMENTS,
          from,
          to,
          credentials,
          now: NOW,
        });
        expect(assessmentResultsProblems(doc)).toEqual([]);
        const [result] = doc!['assessment-results'].results;
        return (result.observations ?? []).map(o => o.collected);
      };
      expect(await collected(ago(100), ago(10))).toEqual([
        ago(10),
        ago(20),
        ago(100),
      ]);
      expect(await collected(ago(500), ago(300))).toEqual([ago(400)]);
      expect(await collected(undefined, ago(150))).toEqual([
        ago(200),
        ago(400),
      ]);
      expect(await collected(ago(9), undefined)).toEqual([ago(5)]);
      expect(await collected(ago(4), ago(1))).toEqual([]);

      // The finding follows the latest test within the period, not overall.
      const doc = await exporter.assessmentResults({
        entityRef: PAYMENTS,
        from: ago(365),
        to: ago(50),
        credentials,
        now: NOW,
      });
      const [result] = doc!['assessment-results'].results;
      expect(
        result.findings!.map(f => [
          f.target['target-id'],
          f.target.status.state,
        ]),
      ).toEqual([
        ['encrypt-data-in-transit', 'satisfied'],
        ['mfa-admin-access', 'not-satisfied'],
      ]);
    });

    it('gives a period its own stable UUIDs and refuses one that ends before it starts', async () => {
      const { exporter } = await setUp('SQLITE_3');
      const uuidOf = async (from: string, to: string, now = NOW) =>
        (await exporter.assessmentResults({
          entityRef: PAYMENTS,
          from,
          to,
          credentials,
          now,
        }))!['assessment-results'];
      const first = await uuidOf(ago(30), ago(1));
      const again = await uuidOf(ago(30), ago(1), new Date(NOW.getTime() + 5));
      expect(again.uuid).toBe(first.uuid);
      expect(again.results).toEqual(first.results);
      expect(again.metadata.version).toBe(first.metadata.version);
      expect((await uuidOf(ago(31), ago(1))).uuid).not.toBe(first.uuid);

      await expect(
        exporter.assessmentResults({
          entityRef: PAYMENTS,
          from: ago(-1),
          credentials,
          now: NOW,
        }),
      ).rejects.toThrow(
        new InputError(
          `Invalid query parameters: from: must not be after to (${NOW.toISOString()})`,
        ),
      );
    });

    it.each(databases.eachSupportedId())(
      'exports 1,000 test records (measured), %p',
      async databaseId => {
        const { stores, exporter } = await setUp(databaseId);
        const controls = [TLS, MFA, BACKUP, PENTEST];
        const records = Array.from({ length: 1000 }, (_, i) =>
          test(
            controls[i % 4],
            i % 7 === 0 ? 'fail' : 'pass',
            ago(1 + (i % 300)),
            {
              evidenceUrl: `https://ci.example.com/runs/${i}`,
              externalId: `bulk-${i}`,
            },
          ),
        );
        await stores.testing.addTestRecords({
          records,
          tester: 'service:ci',
          now: NOW,
        });
        // Warm up the connection pool and the code, then measure.
        await exporter.assessmentResults({
          entityRef: PAYMENTS,
          credentials,
          now: NOW,
        });
        const timings: number[] = [];
        let doc;
        for (let run = 0; run < 5; run++) {
          const start = process.hrtime.bigint();
          doc = await exporter.assessmentResults({
            entityRef: PAYMENTS,
            credentials,
            now: NOW,
          });
          JSON.stringify(doc, null, 2);
          timings.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        const [result] = doc!['assessment-results'].results;
        expect(result.observations).toHaveLength(1005);
        expect(assessmentResultsProblems(doc)).toEqual([]);
        timings.sort((a, b) => a - b);
        // eslint-disable-next-line no-console
        console.log(
          `OSCAL assessment results of 1,005 test records on ${databaseId}: median ${timings[2].toFixed(
            1,
          )} ms, slowest ${timings[4].toFixed(1)} ms (read, build, serialise)`,
        );
      },
    );
  });
});
