import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
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
import {
  createSecurityIncidentConditionalDecision,
  securityIncidentConditions,
} from './conditionExports';

const base = '/api/security-management';
const INCIDENT_CREATE = securityIncidentCreatePermission.name;
const INCIDENT_READ = securityIncidentReadPermission.name;
const INCIDENT_UPDATE = securityIncidentUpdatePermission.name;

jest.setTimeout(30_000);

describe('incident routes', () => {
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

  async function createIncident(entityRef: string, title = 'Leaked key') {
    grant(allow(INCIDENT_CREATE));
    const res = await request(ctx.server)
      .post(`${base}/incidents`)
      .set(as.user())
      .send({ title, severity: 'high', affectedEntities: [entityRef] });
    expect(res.status).toBe(201);
    return res.body;
  }

  function ownedByTeamA(permission: typeof securityIncidentReadPermission) {
    return createSecurityIncidentConditionalDecision(
      permission,
      securityIncidentConditions.affectsOwnedEntity({
        ownerRefs: ['group:default/team-a'],
      }),
    );
  }

  describe('incidents', () => {
    it('creates an incident with 201 and audits it', async () => {
      const incident = await createIncident(refs.payments);
      expect(incident).toMatchObject({
        status: 'reported',
        createdBy: 'user:default/alice',
        affectedEntities: [refs.payments],
      });
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'incident-create' }),
      );
      const event = await auditorEvent(ctx.auditor, 'incident-create');
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({ incidentId: incident.id }),
      });
    });

    it('refuses an incident on an unknown entity', async () => {
      grant(allow(INCIDENT_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/incidents`)
        .set(as.user())
        .send({
          title: 'x',
          severity: 'low',
          affectedEntities: [refs.payments, 'component:default/ghost'],
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        "affectedEntities[1]: unknown entity 'component:default/ghost'",
      );
    });

    it('answers 404 for an unknown incident', async () => {
      grant(allow(INCIDENT_READ));
      const res = await request(ctx.server)
        .get(`${base}/incidents/does-not-exist`)
        .set(as.user());
      expect(res.status).toBe(404);
    });

    it('answers 403 to a list the policy denies', async () => {
      grant({});
      const res = await request(ctx.server)
        .get(`${base}/incidents`)
        .set(as.user());
      expect(res.status).toBe(403);
    });

    it('filters items and totalCount by a conditional decision', async () => {
      const visible = await createIncident(refs.payments, 'Team A incident');
      const hidden = await createIncident(refs.ledger, 'Team B incident');
      grant({ [INCIDENT_READ]: ownedByTeamA(securityIncidentReadPermission) });

      const list = await request(ctx.server)
        .get(`${base}/incidents`)
        .query({ limit: 1 })
        .set(as.user('bob'));
      expect(list.status).toBe(200);
      expect(list.body.totalCount).toBe(1);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([
        visible.id,
      ]);

      const shown = await request(ctx.server)
        .get(`${base}/incidents/${visible.id}`)
        .set(as.user('bob'));
      expect(shown.status).toBe(200);

      for (const path of ['', '/timeline']) {
        const res = await request(ctx.server)
          .get(`${base}/incidents/${hidden.id}${path}`)
          .set(as.user('bob'));
        expect(res.status).toBe(404);
      }
    });

    it('checks updates against the incident', async () => {
      const own = await createIncident(refs.payments);
      const other = await createIncident(refs.ledger);
      grant({
        [INCIDENT_READ]: { result: AuthorizeResult.ALLOW },
        [INCIDENT_UPDATE]: ownedByTeamA(securityIncidentUpdatePermission),
      });

      const moved = await request(ctx.server)
        .post(`${base}/incidents/${own.id}/transitions`)
        .set(as.user('bob'))
        .send({ to: 'triaged', version: own.version, note: 'on it' });
      expect(moved.status).toBe(200);
      expect(moved.body.status).toBe('triaged');

      const refused = await request(ctx.server)
        .post(`${base}/incidents/${other.id}/transitions`)
        .set(as.user('bob'))
        .send({ to: 'triaged', version: other.version });
      expect(refused.status).toBe(403);

      grant({
        [INCIDENT_READ]: ownedByTeamA(securityIncidentReadPermission),
        [INCIDENT_UPDATE]: ownedByTeamA(securityIncidentUpdatePermission),
      });
      const hidden = await request(ctx.server)
        .patch(`${base}/incidents/${other.id}`)
        .set(as.user('bob'))
        .send({ version: other.version, title: 'mine now' });
      expect(hidden.status).toBe(404);
    });

    it('answers 409 to a stale version', async () => {
      const incident = await createIncident(refs.payments);
      grant(allow(INCIDENT_READ, INCIDENT_UPDATE));
      const first = await request(ctx.server)
        .patch(`${base}/incidents/${incident.id}`)
        .set(as.user())
        .send({ version: incident.version, severity: 'critical' });
      expect(first.status).toBe(200);
      expect(first.body.version).toBeGreaterThan(incident.version);

      const stale = await request(ctx.server)
        .post(`${base}/incidents/${incident.id}/transitions`)
        .set(as.user())
        .send({ to: 'triaged', version: incident.version });
      expect(stale.status).toBe(409);
    });

    it('keeps the note of a move on the timeline, and requires one to reopen', async () => {
      const incident = await createIncident(refs.payments);
      grant(allow(INCIDENT_READ, INCIDENT_UPDATE));
      const reopen = await request(ctx.server)
        .post(`${base}/incidents/${incident.id}/transitions`)
        .set(as.user())
        .send({ to: 'reported', version: incident.version, note: '  ' });
      expect(reopen.status).toBe(400);
      expect(reopen.body.error.message).toMatch(/note/);

      const moved = await request(ctx.server)
        .post(`${base}/incidents/${incident.id}/transitions`)
        .set(as.user())
        .send({
          to: 'triaged',
          version: incident.version,
          note: 'Key revoked',
        });
      expect(moved.status).toBe(200);
      const timeline = await request(ctx.server)
        .get(`${base}/incidents/${incident.id}/timeline`)
        .set(as.user());
      expect(timeline.body.items.at(-1)).toMatchObject({
        toStatus: 'triaged',
        note: 'Key revoked',
      });
    });

    it('records the post-incident review and keeps a timeline', async () => {
      const incident = await createIncident(refs.payments);
      grant(allow(INCIDENT_READ, INCIDENT_UPDATE));
      const reviewed = await request(ctx.server)
        .put(`${base}/incidents/${incident.id}/review`)
        .set(as.user())
        .send({
          version: incident.version,
          rootCause: 'Key committed to git',
          lessons: 'Scan commits',
          remediationActions: [
            {
              title: 'Add secret scanning',
              owner: 'team-a',
              dueAt: '2026-07-01T00:00:00Z',
            },
          ],
        });
      expect(reviewed.status).toBe(200);
      expect(reviewed.body.review.rootCause).toBe('Key committed to git');

      const timeline = await request(ctx.server)
        .get(`${base}/incidents/${incident.id}/timeline`)
        .set(as.user());
      expect(
        timeline.body.items.map((e: { action: string }) => e.action),
      ).toEqual(['created', 'reviewed']);
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'incident-review',
          meta: { incidentId: incident.id },
        }),
      );
    });
  });
});
