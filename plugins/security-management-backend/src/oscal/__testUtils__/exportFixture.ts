import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ControlSummary } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { StoredEntity } from '../../applicability/ApplicabilityStore';
import { createSecurityStores, SecurityStores } from '../../database';
import { NewTestRecord } from '../../testing/TestingStore';
import { OscalExporter } from '../OscalExporter';

/*
 * A realistic service for the export tests: four controls (one mapped to
 * three frameworks, one to none), pass, fail and partial records with
 * evidence over 14 months, an approved exception; a second service with no
 * test records, and a library.
 */

export const NOW = new Date('2026-06-01T00:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const ago = (days: number) =>
  new Date(NOW.getTime() - days * DAY).toISOString();

export const PAYMENTS = 'component:default/payments-api';
export const LEDGER = 'component:default/ledger';
export const LIB = 'component:default/money-lib';
export const TLS = 'securitycontrol:default/encrypt-data-in-transit';
export const MFA = 'securitycontrol:default/mfa-admin-access';
export const BACKUP = 'securitycontrol:default/backup-restore-drill';
export const PENTEST = 'securitycontrol:default/annual-pentest';

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

export const CONTROLS = [
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

export function test(
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
export async function seed(stores: SecurityStores) {
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

/** Credentials as the routes pass them on; the fake catalog ignores them. */
export const credentials = { $$type: '@backstage/BackstageCredentials' } as any;

/** The stores on a fresh database with the seed, and an exporter over them. */
export async function setUpExporter(
  databases: { init(id: TestDatabaseId): Promise<Knex> },
  databaseId: TestDatabaseId,
) {
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
