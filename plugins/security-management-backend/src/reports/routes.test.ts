import {
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import {
  createSecurityIncidentConditionalDecision,
  securityIncidentConditions,
} from '../incidents/conditionExports';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const REPORT_READ = securityReportReadPermission.name;
const INCIDENT_READ = securityIncidentReadPermission.name;

jest.setTimeout(30_000);

describe('report routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    ctx = await startSecurityBackend();
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  function grant(decisions: Parameters<typeof setPermissions>[1]) {
    setPermissions(ctx.permissions, decisions);
  }

  describe('report', () => {
    it('returns the report as JSON', async () => {
      grant(allow(securityReportReadPermission.name));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body.summary).toMatchObject({
        entityCount: 2,
        controlCount: 2,
        counts: { untested: 3 },
        score: 0,
      });
      expect(res.body.entities).toHaveLength(2);
    });

    it('returns the report as a CSV attachment', async () => {
      grant(allow(REPORT_READ, INCIDENT_READ));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query({ format: 'csv' })
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="security-report-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'entityRef,title,kind,owner,system,domain,riskTier,score,grade,passing,failing,overdue,untested,excepted,reviewStatus,nextReviewDue,openIncidents',
      );
      expect(lines).toHaveLength(3);
      expect(lines).toContain(
        `${refs.payments},Payments API,component,${refs.teamA},system:default/payments,domain:default/finance,1,0,F,0,0,0,2,0,never-reviewed,,0`,
      );
    });

    it('needs the report permission', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .set(as.user());
      expect(res.status).toBe(403);
    });
  });

  describe('open incidents in the report', () => {
    const noIncidents = { critical: 0, high: 0, medium: 0, low: 0 };

    /** A high incident on payments-api (team-a), a critical one on ledger (team-b). */
    async function seed() {
      grant(allow(securityIncidentCreatePermission.name));
      for (const [entityRef, severity] of [
        [refs.payments, 'high'],
        [refs.ledger, 'critical'],
      ]) {
        const res = await request(ctx.server)
          .post(`${base}/incidents`)
          .set(as.ci())
          .send({
            title: 'Leaked key',
            severity,
            affectedEntities: [entityRef],
          });
        expect(res.status).toBe(201);
      }
    }

    async function report(format: 'json' | 'csv') {
      const res = await request(ctx.server)
        .get(`${base}/report`)
        .query({ format })
        .set(as.user('bob'));
      expect(res.status).toBe(200);
      return res;
    }

    /** The openIncidents cell of each entity's CSV row, by entity ref. */
    function csvIncidents(text: string) {
      const [header, ...rows] = text.trim().split('\r\n');
      expect(header.split(',').pop()).toBe('openIncidents');
      return Object.fromEntries(
        rows.map(row => [row.split(',')[0], row.split(',').pop()]),
      );
    }

    it('counts only the incidents a conditional decision lets the caller read', async () => {
      await seed();
      grant({
        ...allow(REPORT_READ),
        [INCIDENT_READ]: createSecurityIncidentConditionalDecision(
          securityIncidentReadPermission,
          securityIncidentConditions.affectsOwnedEntity({
            ownerRefs: [refs.teamA],
          }),
        ),
      });

      const { body } = await report('json');
      expect(body.summary.openIncidents).toEqual({ ...noIncidents, high: 1 });
      expect(body.incidents).toMatchObject({ open: 1, closedLast90Days: 0 });
      const entities = Object.fromEntries(
        body.entities.map((e: { entityRef: string }) => [e.entityRef, e]),
      );
      expect(entities[refs.payments].openIncidents).toEqual({
        ...noIncidents,
        high: 1,
      });
      expect(entities[refs.ledger].openIncidents).toEqual(noIncidents);
      const owners = Object.fromEntries(
        body.byOwner.map((item: { key: string }) => [item.key, item]),
      );
      expect(owners[refs.teamB].openIncidents).toEqual(noIncidents);

      const csv = await report('csv');
      expect(csvIncidents(csv.text)).toEqual({
        [refs.payments]: '1',
        [refs.ledger]: '0',
      });
    });

    it('leaves incident figures out for a caller who may read no incident', async () => {
      await seed();
      grant(allow(REPORT_READ));

      const { body } = await report('json');
      expect(body.summary).not.toHaveProperty('openIncidents');
      expect(body).not.toHaveProperty('incidents');
      for (const item of [...body.entities, ...body.byOwner]) {
        expect(item).not.toHaveProperty('openIncidents');
      }

      const csv = await report('csv');
      expect(csvIncidents(csv.text)).toEqual({
        [refs.payments]: '',
        [refs.ledger]: '',
      });
    });
  });
});
