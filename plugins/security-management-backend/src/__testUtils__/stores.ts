import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  ControlSummary,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { StoredEntity } from '../applicability/ApplicabilityStore';
import { createSecurityStores, SecurityStores } from '../database';

/*
 * The data the store tests share: a catalog of three controls and four
 * entities at a fixed instant, and the stores on a fresh database.
 */

export const NOW = new Date('2026-06-01T00:00:00.000Z');
export const DUE_SOON = 'P30D';
export const TESTER = 'user:default/tester';

export const TLS = 'securitycontrol:default/tls';
export const MFA = 'securitycontrol:default/mfa';
export const BACKUP = 'securitycontrol:default/backup';

export const SHOP = 'component:default/shop';
export const CART = 'component:default/cart';
export const PAY = 'component:default/pay';
export const DB = 'resource:default/db';

export const TEAM_A = 'group:default/team-a';
export const TEAM_B = 'group:default/team-b';

export function control(ref: string, cadence: string): ControlSummary {
  return {
    ref,
    title: ref.split('/')[1].toUpperCase(),
    owner: 'group:default/security',
    category: 'technical',
    criticality: 'high',
    cadence,
    method: 'automated',
    frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: 'SC-8' }],
  };
}

export const CONTROLS = [
  control(TLS, 'P90D'),
  control(MFA, 'P30D'),
  control(BACKUP, 'P1M'),
];

export const ENTITIES: StoredEntity[] = [
  {
    entityRef: SHOP,
    kind: 'Component',
    title: 'Shop',
    owner: TEAM_A,
    system: 'system:default/store',
    domain: 'domain:default/commerce',
    riskTier: 1,
    controlRefs: [TLS, MFA],
  },
  {
    entityRef: CART,
    kind: 'Component',
    owner: TEAM_A,
    system: 'system:default/store',
    domain: 'domain:default/commerce',
    riskTier: 2,
    controlRefs: [TLS],
  },
  {
    entityRef: PAY,
    kind: 'Component',
    owner: TEAM_B,
    system: 'system:default/payments',
    domain: 'domain:default/commerce',
    riskTier: 1,
    controlRefs: [TLS, MFA, BACKUP],
  },
  {
    entityRef: DB,
    kind: 'Resource',
    owner: TEAM_B,
    riskTier: 3,
    controlRefs: [],
  },
];

export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

export const DAY = 24 * 60 * 60 * 1000;

/** Every store on a fresh database, with the catalog snapshot stored. */
export async function createStores(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<{ knex: Knex; stores: SecurityStores }> {
  const knex = await databases.init(databaseId);
  const stores = await createSecurityStores({
    database: mockServices.database.mock({ getClient: async () => knex }),
  });
  await stores.applicability.replaceCatalogSnapshot({
    controls: CONTROLS,
    entities: ENTITIES,
    now: NOW,
  });
  return { knex, stores };
}

/** A test record input. */
export function test(
  controlRef: string,
  entityRef: string,
  result: TestResult,
  testedAt: string,
  externalId?: string,
) {
  return {
    controlRef,
    entityRef,
    result,
    testedAt,
    method: 'automated' as const,
    externalId,
  };
}

export async function record(
  stores: SecurityStores,
  records: ReturnType<typeof test>[],
) {
  return stores.testing.addTestRecords({ records, tester: TESTER, now: NOW });
}

/** The incident access of a caller who may read every incident. */
export const ALL_INCIDENTS = { allowed: true } as const;

export async function posture(stores: SecurityStores, entityRef: string) {
  return stores.posture.getEntityPosture({
    entityRef,
    now: NOW,
    reviewDueSoon: DUE_SOON,
    incidentAccess: ALL_INCIDENTS,
  });
}
