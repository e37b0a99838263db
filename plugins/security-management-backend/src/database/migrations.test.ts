import fs from 'fs';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';

const migrationsDir = `${__dirname}/../../migrations`;
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(file => file.endsWith('.js'))
  .sort();

jest.setTimeout(60_000);

/** A row for each table, inserted right after the migration that creates it. */
const seeds: Record<string, Record<string, Record<string, unknown>[]>> = {
  '20261122100000_catalog.js': {
    controls: [
      {
        control_ref: 'securitycontrol:default/tls',
        title: 'TLS',
        description: null,
        owner: 'group:default/security',
        category: 'technical',
        criticality: 'high',
        cadence: 'P90D',
        method: 'automated',
        procedure: null,
        frameworks: '[]',
        updated_at: 1767225600000,
      },
    ],
    entities: [
      {
        entity_ref: 'component:default/shop',
        kind: 'Component',
        title: 'Shop',
        owner: 'group:default/team-a',
        system: null,
        domain: null,
        risk_tier: 1,
        removed_at: null,
        updated_at: 1767225600000,
      },
    ],
    applicability: [
      {
        entity_ref: 'component:default/shop',
        control_ref: 'securitycontrol:default/tls',
      },
    ],
  },
  '20261122100100_test_records.js': {
    test_records: [
      {
        id: 'r1',
        control_ref: 'securitycontrol:default/tls',
        entity_ref: 'component:default/shop',
        result: 'pass',
        tested_at: 1767225600000,
        tester: 'user:default/jane',
        method: 'automated',
        evidence_url: null,
        notes: null,
        external_id: 'ci-1',
        recorded_at: 1767225600000,
      },
    ],
    latest_tests: [
      {
        entity_ref: 'component:default/shop',
        control_ref: 'securitycontrol:default/tls',
        record_id: 'r1',
        result: 'pass',
        tested_at: 1767225600000,
        due_at: 1774972800000,
        evidence_url: null,
      },
    ],
  },
  '20261122100200_incidents.js': {
    incidents: [
      {
        id: 'i1',
        title: 'Leak',
        description: '',
        severity: 'high',
        status: 'reported',
        reported_at: 1767225600000,
        review: null,
        external_references: '[]',
        created_by: 'user:default/jane',
        created_at: 1767225600000,
        updated_at: 1767225600000,
        version: 1,
      },
    ],
    incident_entities: [
      { incident_id: 'i1', entity_ref: 'component:default/shop' },
    ],
    incident_controls: [
      { incident_id: 'i1', control_ref: 'securitycontrol:default/tls' },
    ],
    incident_timeline: [
      {
        incident_id: 'i1',
        at: 1767225600000,
        actor: 'user:default/jane',
        action: 'created',
        to_status: 'reported',
      },
    ],
  },
  '20261122100300_reviews_exceptions.js': {
    reviews: [
      {
        id: 'v1',
        entity_ref: 'component:default/shop',
        reviewer: 'user:default/jane',
        outcome: 'approved',
        findings: 'fine',
        conditions: '[]',
        reviewed_at: 1767225600000,
        next_due_at: 1774972800000,
      },
    ],
    exceptions: [
      {
        id: 'x1',
        control_ref: 'securitycontrol:default/tls',
        entity_ref: 'component:default/shop',
        justification: 'legacy',
        status: 'requested',
        requested_by: 'user:default/jane',
        requested_at: 1767225600000,
        expires_at: 1774972800000,
      },
    ],
  },
  '20261122100400_posture_counts.js': {
    posture_counts: [
      {
        entity_ref: 'component:default/shop',
        passing: 1,
        failing: 0,
        overdue: 0,
        untested: 0,
        excepted: 0,
        valid_from: null,
        valid_until: 1774972800000,
        version: 2,
        counted_version: 2,
      },
    ],
  },
  // A column of latest_tests, filled from test_records (see its own test).
  '20261130100000_latest_tests_recorded_at.js': {},
  '20261201100000_catalog_problems.js': {
    catalog_problems: [
      {
        problem_key: 'error:securitycontrol:default/future',
        type: 'error',
        entity_ref: 'securitycontrol:default/future',
        name: null,
        location: 'file:/catalog/controls.yaml',
        origin_location: null,
        conflicting_location: null,
        messages: '["apiVersion is not supported"]',
        first_reported_at: 1767225600000,
        last_reported_at: 1767225600000,
      },
    ],
  },
  '20261202100000_advisories.js': {
    advisory_feeds: [
      {
        feed_id: 'osv-npm',
        type: 'osv',
        target: 'https://feeds.example.com/osv/',
        status: 'ok',
        last_attempt_at: 1767225600000,
        last_success_at: 1767225600000,
        error: null,
        warnings: '[]',
        advisory_count: 1,
      },
    ],
    advisories: [
      {
        advisory_id: 'GHSA-34x7-hfp2-rc4v',
        feed_id: 'osv-npm',
        source: 'osv',
        summary: 'tar path traversal',
        details: null,
        severity: 'high',
        aliases: '["CVE-2026-0001"]',
        published_at: 1767225600000,
        modified_at: 1767225600000,
        withdrawn_at: null,
        references: '[]',
        affected: '[]',
        kev: null,
      },
    ],
    advisory_component_sources: [
      {
        entity_ref: 'component:default/shop',
        kind: 'purl',
        location: 'security.open-itsm.dev/purls',
        status: 'ok',
        error: null,
        warnings: '[]',
        component_count: 1,
        read_at: 1767225600000,
      },
    ],
    advisory_findings: [
      {
        id: 'f1',
        entity_ref: 'component:default/shop',
        entity_title: null,
        owner: 'group:default/team-a',
        advisory_id: 'GHSA-34x7-hfp2-rc4v',
        severity: 'high',
        known_exploited: false,
        kev: null,
        status: 'open',
        justification: null,
        note: null,
        due_at: 1769817600000,
        matches: '[]',
        first_seen_at: 1767225600000,
        updated_at: 1767225600000,
        updated_by: null,
        resolved_at: null,
      },
    ],
    advisory_finding_events: [
      {
        finding_id: 'f1',
        at: 1767225600000,
        actor: 'system',
        from_status: null,
        to_status: 'open',
        justification: null,
        note: null,
      },
    ],
  },
  '20261202100100_advisory_fingerprints.js': {
    advisory_entity_fingerprints: [
      {
        entity_ref: 'component:default/shop',
        fingerprint: 'a'.repeat(64),
        matched_at: 1767225600000,
      },
    ],
  },
  '20261202110000_alerts.js': {
    security_alerts: [
      {
        id: 'a1',
        title: 'Credential stuffing',
        description: 'Leaked passwords replayed',
        severity: 'high',
        precautions: 'Enforce MFA',
        scope: '{"filter":{"kind":"component"}}',
        affected_entity_count: 1,
        expires_at: null,
        status: 'active',
        source: 'manual',
        rule_id: null,
        rule_key: null,
        raised_by: 'user:default/jane',
        raised_at: 1767225600000,
      },
    ],
    security_alert_entities: [
      { alert_id: 'a1', entity_ref: 'component:default/shop' },
    ],
  },
  '20261202120000_security_events.js': {
    security_events: [
      {
        event_key: 'id:security:evt-1',
        topic: 'security',
        payload: '{"id":"evt-1","type":"auth.failure"}',
        occurred_at: 1767225600000,
        received_at: 1767225600000,
        received_from: 'ci-pipeline',
      },
    ],
    security_event_hits: [
      {
        rule_id: 'repeated-auth-failures',
        fingerprint: 'f1',
        event_key: 'id:security:evt-1',
        occurred_at: 1767225600000,
        incident_id: 'i1',
      },
    ],
    security_event_skips: [
      {
        rule_id: 'other-rule',
        event_key: 'id:security:evt-1',
        reason: 'missing-fields',
      },
    ],
    correlation_state: [
      {
        rule_id: 'repeated-auth-failures',
        fingerprint: 'f1',
        incident_id: 'i1',
        updated_at: 1767225600000,
      },
    ],
    correlation_firings: [
      {
        id: 'c1',
        rule_id: 'repeated-auth-failures',
        fingerprint: 'f1',
        fingerprint_values: '{"source.ip":"10.0.0.7"}',
        entity_ref: 'component:default/shop',
        incident_id: 'i1',
        event_count: 1,
        fired_at: 1767225600000,
        last_event_at: 1767225600000,
      },
    ],
  },
  '20261203100000_policies.js': {
    security_policies: [
      {
        policy_ref: 'securitypolicy:default/it-security-policy',
        title: 'IT Security Policy',
        description: null,
        owner: 'group:default/security-team',
        version: '3.0',
        status: 'approved',
        approver: 'user:default/ciso',
        approved_at: 1767225600000,
        review_cadence: 'P1Y',
        next_review_at: 1798761600000,
        parent_ref: null,
        synced_at: 1767225600000,
      },
    ],
    security_policy_statements: [
      {
        policy_ref: 'securitypolicy:default/it-security-policy',
        statement_id: 'encrypt',
        position: 0,
        title: null,
        text: 'Customer data is encrypted.',
      },
    ],
    security_policy_controls: [
      {
        policy_ref: 'securitypolicy:default/it-security-policy',
        statement_id: 'encrypt',
        control_ref: 'securitycontrol:default/tls',
        position: 0,
      },
    ],
  },
  '20261203200000_frameworks.js': {
    framework_requirements: [
      {
        requirement_ref:
          'securityrequirement:default/nist-sp-800-53-rev5-ac-2.1',
        framework: 'nist-sp-800-53-rev5',
        framework_title: 'NIST SP 800-53 Rev 5 LOW baseline',
        control_id: 'ac-2.1',
        label: 'AC-2(1)',
        id_key: 'ac-2.1',
        label_key: 'ac-2.1',
        title: 'Automated System Account Management',
        family: 'Access Control',
        parent: 'ac-2',
        import_id: 'nist-low',
        synced_at: 1767225600000,
      },
    ],
    framework_imports: [
      {
        import_id: 'nist-low',
        framework: 'nist-sp-800-53-rev5',
        target: 'https://example.com/low.json',
        last_outcome: 'failed',
        last_run_at: 1767225600000,
        last_imported_at: 1767222000000,
        requirement_count: 149,
        message: 'not a valid OSCAL catalog',
      },
    ],
  },
  '20261204150000_review_conditions.js': {
    review_conditions: [
      {
        review_id: 'v1',
        position: 0,
        text: 'Rotate the admin credentials',
        status: 'met',
        met_at: 1767225600000,
        met_by: 'user:default/jane',
        note: 'Rotated',
      },
    ],
  },
  '20261206200000_posture_history.js': {
    posture_snapshots: [
      {
        day: '2026-01-01',
        entity_ref: 'component:default/shop',
        kind: 'Component',
        owner: 'group:default/team-a',
        system: null,
        domain: null,
        counts:
          '{"passing":1,"failing":0,"overdue":0,"untested":0,"excepted":0}',
        review_status: 'current',
        advisories_active: 0,
        advisories_overdue: 0,
        score: 100,
        grade: 'A',
        source: 'snapshot',
        taken_at: 1767225600000,
      },
    ],
    posture_snapshot_groups: [
      {
        dimension: 'organisation',
        group_key: '',
        day: '2026-01-01',
        entity_count: 1,
        counts:
          '{"passing":1,"failing":0,"overdue":0,"untested":0,"excepted":0}',
        review: '{"current":1}',
        advisories_active: 0,
        advisories_overdue: 0,
        source: 'snapshot',
        taken_at: 1767225600000,
      },
    ],
  },
  '20261206100000_notification_deliveries.js': {
    notification_deliveries: [
      {
        recipient: 'group:default/team-a',
        topic: 'Security daily digest',
        delivery_key: 'digest:2026-01-01',
        claimed_at: 1767225600000,
        sent_at: 1767225601000,
      },
    ],
  },
  '20261206300000_review_triggers.js': {
    review_facts: [
      {
        entity_ref: 'component:default/shop',
        facts:
          '{"lifecycle":"production","owner":"group:default/team-a","riskTier":1,"tier1Dependencies":[],"providedApis":[]}',
        changed_at: 1767225600000,
        updated_at: 1767225600000,
      },
    ],
    review_triggers: [
      {
        entity_ref: 'component:default/shop',
        trigger: 'lifecycle-production',
        detail: 'lifecycle experimental → production',
        seen_at: 1767225600000,
      },
    ],
  },
  '20261206600000_campaigns.js': {
    campaigns: [
      {
        id: 'c1',
        name: 'TLS everywhere',
        goal: 'Every service encrypts data in transit',
        scope: '{"filter":{"kind":"component"}}',
        entity_count: 1,
        deadline_at: 1769817600000,
        started_by: 'user:default/nadia',
        started_at: 1767225600000,
        closed_by: null,
        archived_at: null,
        result: null,
      },
    ],
    campaign_items: [
      {
        campaign_id: 'c1',
        kind: 'control',
        item_ref: 'securitycontrol:default/tls',
      },
    ],
    campaign_entities: [
      { campaign_id: 'c1', entity_ref: 'component:default/shop' },
    ],
    campaign_notices: [
      { campaign_id: 'c1', notice: 'started', sent_at: 1767225600000 },
    ],
  },
  '20261206400000_inherited_controls.js': {},
  '20261206500000_remediation_actions.js': {
    remediation_actions: [
      {
        id: 'ra1',
        incident_id: 'i1',
        position: 0,
        title: 'Turn on secret scanning',
        owner: 'group:default/team-a',
        due_at: 1767225600000,
        status: 'open',
        updated_at: 1767225600000,
        updated_by: 'user:default/jane',
      },
    ],
  },
};

async function tableCounts(knex: Knex, tables: string[]) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await knex(table).count({ count: '*' }).first();
    counts[table] = Number(row?.count);
  }
  return counts;
}

describe('migrations', () => {
  const databases = createTestDatabases();

  it('has seed data for every migration', () => {
    expect(Object.keys(seeds).sort()).toEqual(migrationFiles);
  });

  it.each(databases.eachSupportedId())(
    'walks up and down one step at a time with data, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const created: string[] = [];

      for (const file of migrationFiles) {
        await knex.migrate.up({ directory: migrationsDir });
        for (const [table, rows] of Object.entries(seeds[file])) {
          await knex(table).insert(rows);
          created.push(table);
        }
        expect(await tableCounts(knex, created)).toEqual(
          Object.fromEntries(created.map(table => [table, 1])),
        );
      }

      // Instants are BIGINT epoch millis on every engine.
      const test = await knex('test_records').first();
      expect(Number(test.tested_at)).toBe(1767225600000);

      for (const file of [...migrationFiles].reverse()) {
        await knex.migrate.down({ directory: migrationsDir });
        for (const table of Object.keys(seeds[file])) {
          expect(await knex.schema.hasTable(table)).toBe(false);
          created.splice(created.indexOf(table), 1);
        }
        // Tables of earlier migrations keep their data.
        expect(await tableCounts(knex, created)).toEqual(
          Object.fromEntries(created.map(table => [table, 1])),
        );
      }

      // And back up again from nothing.
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasTable('exceptions')).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a second test record with the same external id, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const [record] = seeds['20261122100100_test_records.js'].test_records;
      await knex('test_records').insert(record);
      // better-sqlite3's errors are not Error instances in Jest's realm, so
      // match the message rather than use toThrow.
      await expect(
        knex('test_records').insert({ ...record, id: 'r2' }),
      ).rejects.toHaveProperty(
        'message',
        expect.stringMatching(/UNIQUE constraint failed|duplicate key/),
      );
      // Records without an external id never collide.
      await knex('test_records').insert([
        { ...record, id: 'r3', external_id: null },
        { ...record, id: 'r4', external_id: null },
      ]);
    },
  );
});
