import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SECURITY_INCIDENT_RESOURCE_TYPE,
  securityIncidentCreatePermission,
  securityManagementPermissions,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  auditorEvent,
  refs,
  setPermissions,
  startSecurityBackend,
} from './__testUtils__/securityBackend';

const base = '/api/security-management';
const wellKnown = `${base}/.well-known/backstage/permissions`;
const serviceHeader = {
  Authorization: mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:permission'),
    targetPluginId: 'security-management',
  }),
};

jest.setTimeout(30_000);

describe('securityManagementPlugin', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>> | undefined;

  afterEach(async () => {
    await ctx?.backend.stop();
    ctx = undefined;
  });

  it('registers its permissions and incident rules', async () => {
    ctx = await startSecurityBackend();
    const res = await request(ctx.server)
      .get(`${wellKnown}/metadata`)
      .set(serviceHeader);
    expect(res.status).toBe(200);
    expect(
      res.body.permissions.map((p: { name: string }) => p.name).sort(),
    ).toEqual(securityManagementPermissions.map(p => p.name).sort());
    expect(res.body.rules.map((r: { name: string }) => r.name).sort()).toEqual([
      'AFFECTS_OWNED_ENTITY',
      'HAS_SEVERITY',
      'REPORTED_BY',
    ]);
  });

  it('lets the permission backend apply incident conditions', async () => {
    ctx = await startSecurityBackend();
    setPermissions(
      ctx.permissions,
      allow(securityIncidentCreatePermission.name),
    );
    const ids: string[] = [];
    for (const entityRef of [refs.payments, refs.ledger]) {
      const res = await request(ctx.server)
        .post(`${base}/incidents`)
        .set(as.user())
        .send({ title: 'x', severity: 'low', affectedEntities: [entityRef] });
      ids.push(res.body.id);
    }

    const res = await request(ctx.server)
      .post(`${wellKnown}/apply-conditions`)
      .set(serviceHeader)
      .send({
        items: ids.map(id => ({
          id,
          resourceRef: id,
          resourceType: SECURITY_INCIDENT_RESOURCE_TYPE,
          conditions: {
            rule: 'AFFECTS_OWNED_ENTITY',
            resourceType: SECURITY_INCIDENT_RESOURCE_TYPE,
            params: { ownerRefs: ['Group:default/Team-A'] },
          },
        })),
      });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: ids[0], result: AuthorizeResult.ALLOW },
      { id: ids[1], result: AuthorizeResult.DENY },
    ]);
  });

  it('schedules its work with global scope: once across replicas', async () => {
    ctx = await startSecurityBackend();
    const tasks = await ctx.scheduler.getScheduledTasks();
    expect(tasks.map(task => task.id)).toEqual(
      expect.arrayContaining([
        'security-management-catalog-sync',
        'security-management-daily-housekeeping',
        'security-management-advisories',
        'security-management-advisories-new-entities',
        'security-management-policy-sync',
        'security-management-posture-history',
      ]),
    );
    expect(tasks.filter(task => task.scope !== 'global')).toEqual([]);

    await ctx.scheduler.triggerTask('security-management-daily-housekeeping');
    const event = await auditorEvent(ctx.auditor, 'exception-expire');
    expect(event.success).toHaveBeenCalledWith({
      meta: { trigger: 'schedule', count: 0, exceptions: [] },
    });
  });

  it('reads the review cadence from config', async () => {
    ctx = await startSecurityBackend({
      config: { securityManagement: { reviewCadence: { tier1: 'P60D' } } },
    });
    setPermissions(ctx.permissions, allow(securityReviewCreatePermission.name));
    const res = await request(ctx.server)
      .post(`${base}/reviews`)
      .set(as.user())
      .send({
        entityRef: refs.payments,
        outcome: 'approved',
        findings: 'ok',
        reviewedAt: '2025-01-01T00:00:00Z',
      });
    expect(res.status).toBe(201);
    expect(res.body.nextDueAt).toBe('2025-03-02T00:00:00.000Z');
  });

  it('refuses to start with an invalid review cadence', async () => {
    await expect(
      startSecurityBackend({
        config: { securityManagement: { reviewCadence: { tier2: '90 days' } } },
      }),
    ).rejects.toThrow(
      "Invalid config at 'securityManagement.reviewCadence.tier2'",
    );
  });
});
