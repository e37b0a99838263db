import {
  securityEventCreatePermission,
  securityIncidentReadPermission,
  securityReportReadPermission,
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
import { authFailure, authFailures } from './__fixtures__/rules';

const base = '/api/security-management';
const CREATE = securityEventCreatePermission.name;
const REPORT = securityReportReadPermission.name;
const INCIDENT_READ = securityIncidentReadPermission.name;

jest.setTimeout(30_000);

/** Failed logins on the payments API from one address. */
function failures(count: number, first = 0) {
  return Array.from({ length: count }, (_, index) =>
    authFailure('payments-api', '10.0.0.7', { id: `evt-${first + index}` }),
  );
}

describe('security event routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend({
      config: {
        securityManagement: {
          correlation: { topics: ['security', 'siem'], rules: [authFailures] },
        },
      },
    });
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  const count = async (table: string) =>
    Number((await ctx.knex(table).count({ count: '*' }).first())?.count);

  function post(body: unknown, who = as.ci()) {
    return request(ctx.server)
      .post(`${base}/security-events`)
      .set(who)
      .send(body as object);
  }

  it('refuses a caller without the permission and stores nothing', async () => {
    setPermissions(ctx.permissions, allow(REPORT, INCIDENT_READ));
    const res = await post({ events: failures(5) });
    expect(res.status).toBe(403);
    expect(await count('security_events')).toBe(0);
    const audit = await auditorEvent(ctx.auditor, 'security-events-post');
    expect(audit.fail).toHaveBeenCalled();
    expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'security-events-post',
        severityLevel: 'medium',
        meta: { eventCount: 5 },
      }),
    );
  });

  it('answers 400 naming the event that is not an object or too large, and stores nothing', async () => {
    setPermissions(ctx.permissions, allow(CREATE));
    const notObject = await post({ events: [...failures(3), 'login failed'] });
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.message).toBe(
      'Invalid request body: events[3]: expected object',
    );
    const large = await post({
      events: [failures(1)[0], { type: 'dump', blob: 'x'.repeat(70_000) }],
    });
    expect(large.status).toBe(400);
    expect(large.body.error.message).toMatch(
      /^Invalid request body: events\[1\]: is 7\d{4} bytes as JSON; an event may have at most 65536 \(64 KB\)$/,
    );
    const future = await post({
      events: [{ ...failures(1)[0], occurredAt: '2999-01-01T00:00:00Z' }],
    });
    expect(future.status).toBe(400);
    expect(future.body.error.message).toBe(
      'Invalid request body: events[0].occurredAt: 2999-01-01T00:00:00.000Z is more than 5 minutes in the future',
    );
    const topic = await post({ topic: 'catalog', events: failures(1) });
    expect(topic.status).toBe(400);
    expect(topic.body.error.message).toBe(
      "Invalid request body: topic: 'catalog' is not a subscribed topic; use security or siem",
    );
    expect((await post({ events: [] })).status).toBe(400);
    expect(await count('security_events')).toBe(0);
  });

  it('opens an incident past the threshold, counts a retry as duplicates, and audits both', async () => {
    setPermissions(ctx.permissions, allow(CREATE));
    const first = await post({ events: failures(4) });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: 4, duplicates: 0, firings: [] });

    const second = await post({ events: failures(3, 3) });
    expect(second.body).toEqual({
      accepted: 2,
      duplicates: 1,
      firings: [
        {
          ruleId: 'repeated-auth-failures',
          fingerprint: { entityRef: refs.payments, 'source.ip': '10.0.0.7' },
          incidentId: expect.any(String),
          opened: true,
          eventCount: 6,
        },
      ],
    });
    const { incidentId } = second.body.firings[0];
    const fire = await auditorEvent(ctx.auditor, 'correlation-fire');
    expect(fire.success).toHaveBeenCalled();
    expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'correlation-fire',
        severityLevel: 'high',
        meta: expect.objectContaining({ incidentId, eventCount: 6 }),
      }),
    );
    const posted = await auditorEvent(ctx.auditor, 'security-events-post');
    expect(posted.success).toHaveBeenCalledWith({
      meta: {
        eventCount: 4,
        accepted: 4,
        duplicates: 0,
        incidentsOpened: 0,
        incidentIds: [],
      },
    });

    setPermissions(ctx.permissions, allow(INCIDENT_READ));
    const timeline = await request(ctx.server)
      .get(`${base}/incidents/${incidentId}/timeline`)
      .set(as.user());
    expect(timeline.status).toBe(200);
    expect(timeline.body.items[1]).toMatchObject({
      action: 'correlated',
      actor: 'rule:repeated-auth-failures',
      changes: { eventCount: 6 },
    });
  });

  it('lists the rules with their counters and the firings, as far as the caller may read incidents', async () => {
    setPermissions(ctx.permissions, allow(CREATE));
    await post({
      events: [...failures(5), { id: 'no-ip', type: 'auth.failure' }],
    });
    await post({ topic: 'siem', events: failures(1, 10) });

    setPermissions(ctx.permissions, allow(REPORT, INCIDENT_READ));
    const rules = await request(ctx.server)
      .get(`${base}/correlation/rules`)
      .set(as.user());
    expect(rules.status).toBe(200);
    expect(rules.body).toEqual({
      topics: ['security', 'siem'],
      retention: 'P30D',
      items: [
        {
          ...authFailures,
          counters: {
            matchedEvents: 5,
            missingFields: 1,
            unknownEntity: 0,
            firings: 1,
            lastFiredAt: expect.any(String),
          },
        },
      ],
    });
    const firings = await request(ctx.server)
      .get(`${base}/correlation/firings`)
      .query({ ruleId: 'repeated-auth-failures' })
      .set(as.user());
    expect(firings.status).toBe(200);
    expect(firings.body).toEqual({
      totalCount: 1,
      items: [
        expect.objectContaining({
          ruleId: 'repeated-auth-failures',
          ruleTitle: 'Repeated authentication failures',
          entityRef: refs.payments,
          eventCount: 5,
        }),
      ],
    });

    // The report without incidents: no firing is shown or counted.
    setPermissions(ctx.permissions, allow(REPORT));
    const blind = await request(ctx.server)
      .get(`${base}/correlation/rules`)
      .set(as.user());
    expect(blind.body.items[0].counters).toEqual({
      matchedEvents: 5,
      missingFields: 1,
      unknownEntity: 0,
    });
    const refused = await request(ctx.server)
      .get(`${base}/correlation/firings`)
      .set(as.user());
    expect(refused.status).toBe(403);

    setPermissions(ctx.permissions, allow(INCIDENT_READ));
    const noReport = await request(ctx.server)
      .get(`${base}/correlation/rules`)
      .set(as.user());
    expect(noReport.status).toBe(403);
  });
});
