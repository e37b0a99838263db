import { TestDatabaseId } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  assessmentResultsProblems,
  componentDefinitionProblems,
} from './__testUtils__/validateOscal';
import {
  ago,
  credentials,
  LEDGER,
  NOW,
  PAYMENTS,
  setUpExporter,
  TLS,
  BACKUP,
  MFA,
  PENTEST,
  test,
} from './__testUtils__/exportFixture';

jest.setTimeout(60_000);

describe('OSCAL assessment results export', () => {
  const databases = createTestDatabases();
  const setUp = (databaseId: TestDatabaseId) =>
    setUpExporter(databases, databaseId);

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
      expect(observations.map(o => [o.collected, o.title, o.methods])).toEqual([
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
        Object.fromEntries(observations[1].props!.map(p => [p.name, p.value])),
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
          expect(observationUuids.has(related['observation-uuid'])).toBe(true);
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
    expect(await collected(undefined, ago(150))).toEqual([ago(200), ago(400)]);
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
      result.findings!.map(f => [f.target['target-id'], f.target.status.state]),
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
