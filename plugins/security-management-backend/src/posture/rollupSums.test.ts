import { Entity } from '@backstage/catalog-model';
import {
  CONTROL_STATUSES,
  ControlStatusCounts,
  EntityPosture,
  PostureRollupItem,
  RELATION_HAS_SECURITY_CONTROL,
  REVIEW_STATUSES,
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityReviewCreatePermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
  testCatalog,
} from '../__testUtils__/securityBackend';

/*
 * README, "Posture": roll-ups by owner, system and domain sum the counts of
 * their entities. Checked against the posture list over HTTP, so that the
 * roll-up's cache and the list's direct computation must agree.
 */

const base = '/api/security-management';
const DAY = 24 * 3600_000;
const billing = 'component:default/billing';

jest.setTimeout(30_000);

/** The test catalog plus a second service of team-a in the payments system. */
function catalog(): Entity[] {
  return [
    ...testCatalog(),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'billing', namespace: 'default' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'team-a',
        system: 'payments',
      },
      relations: [refs.tls, refs.mfa].map(targetRef => ({
        type: RELATION_HAS_SECURITY_CONTROL,
        targetRef,
      })),
    },
  ];
}

type Sums = {
  key: string | null;
  entityCount: number;
  counts: ControlStatusCounts;
  review: Record<string, number>;
};

function sumsOf(items: EntityPosture[], by: 'owner' | 'system' | 'domain') {
  const groups = new Map<string | null, Sums>();
  for (const entity of items) {
    const key = entity[by] ?? null;
    const group: Sums = groups.get(key) ?? {
      key,
      entityCount: 0,
      counts: { passing: 0, failing: 0, overdue: 0, untested: 0, excepted: 0 },
      review: Object.fromEntries(REVIEW_STATUSES.map(s => [s, 0])),
    };
    group.entityCount += 1;
    for (const status of CONTROL_STATUSES) {
      group.counts[status] += entity.counts[status];
    }
    group.review[entity.review.status] += 1;
    groups.set(key, group);
  }
  return groups;
}

describe('posture roll-ups', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend({ entities: catalog() });
    setPermissions(
      ctx.permissions,
      allow(
        securityPostureReadPermission.name,
        securityReportReadPermission.name,
        securityTestRecordCreatePermission.name,
        securityReviewCreatePermission.name,
        securityIncidentCreatePermission.name,
        securityIncidentReadPermission.name,
        securityExceptionRequestPermission.name,
        securityExceptionDecidePermission.name,
      ),
    );
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  it('sum the control and review counts of their entities, and count an incident once per group', async () => {
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const post = (path: string, body: object, who = as.user()) =>
      request(ctx.server).post(`${base}${path}`).set(who).send(body);

    const batch = await post(
      '/test-records/batch',
      {
        records: [
          { controlRef: refs.tls, entityRef: refs.payments, result: 'pass' },
          {
            controlRef: refs.mfa,
            entityRef: refs.payments,
            result: 'pass',
            testedAt: ago(40 * DAY),
          },
          { controlRef: refs.tls, entityRef: refs.ledger, result: 'fail' },
          { controlRef: refs.tls, entityRef: billing, result: 'error' },
        ],
      },
      as.ci(),
    );
    expect(batch.status).toBe(201);
    const exception = await post('/exceptions', {
      controlRef: refs.mfa,
      entityRef: billing,
      justification: 'hardware tokens on order',
      expiresAt: new Date(Date.now() + 30 * DAY).toISOString(),
    });
    expect(
      (
        await post(
          `/exceptions/${exception.body.id}/approve`,
          {},
          as.user('carol'),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await post('/reviews', {
          entityRef: refs.payments,
          outcome: 'approved',
          findings: 'fine',
        })
      ).status,
    ).toBe(201);
    // One incident on both team-a services.
    expect(
      (
        await post('/incidents', {
          title: 'Leaked key',
          severity: 'high',
          affectedEntities: [refs.payments, billing],
        })
      ).status,
    ).toBe(201);

    const list = await request(ctx.server)
      .get(`${base}/posture`)
      .query({ limit: 500 })
      .set(as.user());
    expect(list.status).toBe(200);
    const items: EntityPosture[] = list.body.items;
    expect(items.map(e => e.entityRef).sort()).toEqual(
      [billing, refs.ledger, refs.payments].sort(),
    );

    for (const by of ['owner', 'system', 'domain'] as const) {
      const rollup = await request(ctx.server)
        .get(`${base}/posture/rollup`)
        .query({ by })
        .set(as.user());
      expect(rollup.status).toBe(200);
      const sums = sumsOf(items, by);
      const groups: PostureRollupItem[] = rollup.body.items;
      expect(groups.map(g => g.key).sort()).toEqual([...sums.keys()].sort());
      for (const group of groups) {
        expect({
          key: group.key,
          entityCount: group.entityCount,
          counts: group.counts,
          review: group.review,
        }).toEqual(sums.get(group.key));
      }
    }

    const byOwner = await request(ctx.server)
      .get(`${base}/posture/rollup`)
      .query({ by: 'owner' })
      .set(as.user());
    const teamA = byOwner.body.items.find(
      (g: PostureRollupItem) => g.key === refs.teamA,
    );
    expect(teamA.counts).toEqual({
      passing: 1,
      failing: 1,
      overdue: 1,
      untested: 0,
      excepted: 1,
    });
    // Each of the two entities counts the incident; the group counts it once.
    const perEntity = items
      .filter(e => e.owner === refs.teamA)
      .map(e => e.openIncidents?.high);
    expect(perEntity).toEqual([1, 1]);
    expect(teamA.openIncidents.high).toBe(1);
    // The group's score is the coverage of its summed counts:
    // 100 × (1 + ½ + ¼) ÷ 4.
    expect(teamA.score).toBe(44);
  });
});
