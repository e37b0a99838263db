import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  assessmentResultsProblems,
  componentDefinitionProblems,
} from './__testUtils__/validateOscal';
import {
  ago,
  credentials,
  LEDGER,
  LIB,
  NOW,
  PAYMENTS,
  setUpExporter,
  TLS,
  BACKUP,
} from './__testUtils__/exportFixture';

jest.setTimeout(60_000);

describe('OSCAL component definition export', () => {
  const databases = createTestDatabases();
  const setUp = (databaseId: TestDatabaseId) =>
    setUpExporter(databases, databaseId);

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
});
