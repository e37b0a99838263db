import { mockServices } from '@backstage/backend-test-utils';
import {
  securityIncidentCreatePermission,
  securityIncidentUpdatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  auditorEvent,
  refs,
  setPermissions,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import { createSecurityStores } from '../database';

const base = '/api/security-management';
const DIGEST_TASK = 'security-management-notifications-digest';
const IMMEDIATE_TASK = 'security-management-notifications-immediate';

jest.setTimeout(30_000);

describe('notifications in the plugin', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>> | undefined;

  afterEach(async () => {
    await ctx?.backend.stop();
    ctx = undefined;
  });

  const enabled = {
    securityManagement: { notifications: { enabled: true } },
  };

  it('sends the owner of an overdue test the daily digest, once a day', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    ctx = await startSecurityBackend({
      config: enabled,
      notifications: { send },
    });
    const stores = await createSecurityStores({
      database: mockServices.database({ knex: ctx.knex }),
    });
    await stores.testing.addTestRecords({
      records: [
        {
          controlRef: refs.tls,
          entityRef: refs.payments,
          result: 'pass',
          // The control's cadence is P90D.
          testedAt: new Date(Date.now() - 100 * 86_400_000).toISOString(),
          method: 'automated',
        },
      ],
      tester: 'user:default/tester',
      now: new Date(),
    });

    await ctx.scheduler.triggerTask(DIGEST_TASK);
    await ctx.scheduler.triggerTask(DIGEST_TASK);

    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: refs.teamA },
      payload: expect.objectContaining({
        title: 'Security for team-a: 1 overdue test',
        description: 'Tests overdue: 1 control on Payments API.',
        topic: 'Security daily digest',
        link: '/security-management/schedule',
      }),
    });
    const event = await auditorEvent(ctx.auditor, 'notifications-digest');
    expect(event.success).toHaveBeenCalledWith({
      meta: {
        trigger: 'schedule',
        owners: 1,
        sent: 1,
        alreadySent: 0,
        failed: 0,
      },
    });
  });

  it('tells the owners of an incident reported and moved through the API', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    ctx = await startSecurityBackend({
      config: enabled,
      notifications: { send },
    });
    setPermissions(
      ctx.permissions,
      allow(
        securityIncidentCreatePermission.name,
        securityIncidentUpdatePermission.name,
      ),
    );
    const created = await request(ctx.server)
      .post(`${base}/incidents`)
      .set(as.user('alice'))
      .send({
        title: 'Leaked key',
        severity: 'critical',
        affectedEntities: [refs.ledger],
      });
    expect(created.status).toBe(201);

    await ctx.scheduler.triggerTask(IMMEDIATE_TASK);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenLastCalledWith({
      recipients: {
        type: 'entity',
        entityRef: refs.teamB,
        excludeEntityRef: 'user:default/alice',
      },
      payload: expect.objectContaining({
        title: 'Security incident on ledger reported',
        description: `A critical incident (${created.body.id}) affecting ${refs.ledger}.`,
        severity: 'critical',
        topic: 'Security incidents',
      }),
    });

    const moved = await request(ctx.server)
      .post(`${base}/incidents/${created.body.id}/transitions`)
      .set(as.user('bob'))
      .send({ to: 'triaged', version: created.body.version });
    expect(moved.status).toBe(200);
    await ctx.scheduler.triggerTask(IMMEDIATE_TASK);
    await ctx.scheduler.triggerTask(IMMEDIATE_TASK);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send).toHaveBeenLastCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Security incident on ledger moved from reported to triaged',
        }),
      }),
    );
  });

  it('schedules nothing unless notifications are enabled', async () => {
    const send = jest.fn();
    ctx = await startSecurityBackend({ notifications: { send } });
    await expect(ctx.scheduler.triggerTask(DIGEST_TASK)).rejects.toThrow();
    await expect(ctx.scheduler.triggerTask(IMMEDIATE_TASK)).rejects.toThrow();
    expect(send).not.toHaveBeenCalled();
  });
});
