import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
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
const POSTURE_READ = securityPostureReadPermission.name;
const TEST_CREATE = securityTestRecordCreatePermission.name;

jest.setTimeout(30_000);

const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString();

function ownedByTeamA(permission: typeof securityIncidentReadPermission) {
  return createSecurityIncidentConditionalDecision(
    permission,
    securityIncidentConditions.affectsOwnedEntity({
      ownerRefs: [refs.teamA],
    }),
  );
}

describe('post-incident review routes', () => {
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

  async function reviewedIncident(entityRef: string, title: string) {
    grant(allow(INCIDENT_CREATE, INCIDENT_READ, INCIDENT_UPDATE));
    const created = await request(ctx.server)
      .post(`${base}/incidents`)
      .set(as.user())
      .send({ title, severity: 'high', affectedEntities: [entityRef] });
    expect(created.status).toBe(201);
    const reviewed = await request(ctx.server)
      .put(`${base}/incidents/${created.body.id}/review`)
      .set(as.user())
      .send({
        version: created.body.version,
        rootCause: 'TLS 1.0 left on',
        lessons: 'Scan every endpoint',
        failedControls: ['encrypt-data-in-transit'],
        remediationActions: [
          {
            title: `Turn off TLS 1.0 (${title})`,
            owner: entityRef === refs.payments ? 'team-a' : 'team-b',
            dueAt: inDays(-1),
          },
        ],
      });
    expect(reviewed.status).toBe(200);
    return reviewed.body;
  }

  it('refuses a review naming every bad field, and writes nothing', async () => {
    const incident = await reviewedIncident(refs.payments, 'Payments');
    const res = await request(ctx.server)
      .put(`${base}/incidents/${incident.id}/review`)
      .set(as.user())
      .send({
        version: incident.version,
        rootCause: ' ',
        lessons: '',
        failedControls: ['no such/control/x'],
        remediationActions: [
          {
            title: 'x',
            owner: 'component:default/payments-api',
            dueAt: 'soon',
          },
          { title: '', owner: 'team-a', dueAt: inDays(1), status: 'later' },
        ],
      });
    expect(res.status).toBe(400);
    const message: string = res.body.error.message;
    for (const field of [
      'rootCause',
      'failedControls[0]',
      'remediationActions[0].owner',
      'remediationActions[0].dueAt',
      'remediationActions[1].title',
      'remediationActions[1].status',
    ]) {
      expect(message).toContain(`${field}:`);
    }
    const unknown = await request(ctx.server)
      .put(`${base}/incidents/${incident.id}/review`)
      .set(as.user())
      .send({
        version: incident.version,
        rootCause: 'x',
        lessons: '',
        failedControls: ['securitycontrol:default/ghost'],
        remediationActions: [],
      });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      "failedControls[0]: unknown control 'securitycontrol:default/ghost'",
    );
    const after = await request(ctx.server)
      .get(`${base}/incidents/${incident.id}`)
      .set(as.user());
    expect(after.body.version).toBe(incident.version);
  });

  it('makes the failed control due for a retest on every entity it applies to, until a pass after the close', async () => {
    const incident = await reviewedIncident(refs.payments, 'Payments');
    grant(allow(POSTURE_READ, INCIDENT_READ, INCIDENT_UPDATE, TEST_CREATE));
    // ledger is not affected, but shares the control.
    const ledger = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: refs.ledger })
      .set(as.user());
    expect(ledger.status).toBe(200);
    expect(
      ledger.body.controls.find(
        (c: { control: { ref: string } }) => c.control.ref === refs.tls,
      ),
    ).toMatchObject({ retestRequired: true });
    const retests = await request(ctx.server)
      .get(`${base}/retests`)
      .query({ entityRef: refs.ledger })
      .set(as.user());
    expect(retests.body.items).toEqual([
      {
        entityRef: refs.ledger,
        controlRef: refs.tls,
        incidents: [{ id: incident.id, title: 'Payments', status: 'reported' }],
      },
    ]);

    // Close it, then record a pass: the retest is done.
    let version = incident.version;
    for (const to of [
      'triaged',
      'contained',
      'eradicated',
      'recovered',
      'closed',
    ]) {
      const moved = await request(ctx.server)
        .post(`${base}/incidents/${incident.id}/transitions`)
        .set(as.user())
        .send({ to, version });
      expect(moved.status).toBe(200);
      version = moved.body.version;
    }
    const recorded = await request(ctx.server)
      .post(`${base}/test-records`)
      .set(as.user())
      .send({
        controlRef: refs.tls,
        entityRef: refs.ledger,
        result: 'pass',
        testedAt: new Date(Date.now() + 1000).toISOString(),
      });
    expect(recorded.status).toBe(201);
    const cleared = await request(ctx.server)
      .get(`${base}/retests`)
      .query({ entityRef: refs.ledger })
      .set(as.user());
    expect(cleared.body.items).toEqual([]);
  });

  it('needs a way to find the retests: an entity or an owner', async () => {
    grant(allow(POSTURE_READ));
    const res = await request(ctx.server).get(`${base}/retests`).set(as.user());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('entityRef:');
  });

  it('shows actions and retest reasons only of incidents the reader may read, not even a count', async () => {
    const mine = await reviewedIncident(refs.payments, 'Payments');
    const theirs = await reviewedIncident(refs.ledger, 'Ledger');
    grant({
      [POSTURE_READ]: { result: AuthorizeResult.ALLOW },
      [INCIDENT_READ]: ownedByTeamA(securityIncidentReadPermission),
    });
    const list = await request(ctx.server)
      .get(`${base}/remediation-actions`)
      .set(as.user('bob'));
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(1);
    expect(
      list.body.items.map((a: { incidentId: string }) => a.incidentId),
    ).toEqual([mine.id]);
    const byOwner = await request(ctx.server)
      .get(`${base}/remediation-actions`)
      .query({ owner: 'team-b' })
      .set(as.user('bob'));
    expect(byOwner.body).toEqual({ items: [], totalCount: 0 });

    // ledger needs the retest (the control failed), but only the readable
    // incident is named.
    const retests = await request(ctx.server)
      .get(`${base}/retests`)
      .query({ entityRef: refs.ledger })
      .set(as.user('bob'));
    expect(retests.body.items).toEqual([
      {
        entityRef: refs.ledger,
        controlRef: refs.tls,
        incidents: [{ id: mine.id, title: 'Payments', status: 'reported' }],
      },
    ]);
    expect(JSON.stringify(retests.body)).not.toContain(theirs.id);

    // Without incident.read: no action list, and retests without reasons.
    grant(allow(POSTURE_READ));
    const denied = await request(ctx.server)
      .get(`${base}/remediation-actions`)
      .set(as.user('bob'));
    expect(denied.status).toBe(403);
    const bare = await request(ctx.server)
      .get(`${base}/retests`)
      .query({ entityRef: refs.ledger })
      .set(as.user('bob'));
    expect(bare.body.items).toEqual([
      { entityRef: refs.ledger, controlRef: refs.tls, incidents: [] },
    ]);
  });

  it('changes an action status with incident.update on its incident, audited', async () => {
    const mine = await reviewedIncident(refs.payments, 'Payments');
    const theirs = await reviewedIncident(refs.ledger, 'Ledger');
    const [myAction] = mine.review.remediationActions;
    const [theirAction] = theirs.review.remediationActions;

    grant({
      [INCIDENT_READ]: { result: AuthorizeResult.ALLOW },
      [INCIDENT_UPDATE]: ownedByTeamA(securityIncidentUpdatePermission),
    });
    const done = await request(ctx.server)
      .patch(`${base}/remediation-actions/${myAction.id}`)
      .set(as.user('bob'))
      .send({ status: 'done', note: 'Disabled' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: myAction.id,
      status: 'done',
      updatedBy: 'user:default/bob',
      incidentTitle: 'Payments',
    });
    const event = await auditorEvent(ctx.auditor, 'remediation-action-update');
    expect(event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ incidentId: mine.id, status: 'done' }),
    });

    // Readable but not changeable: 403, audited as a failure.
    const refused = await request(ctx.server)
      .patch(`${base}/remediation-actions/${theirAction.id}`)
      .set(as.user('bob'))
      .send({ status: 'done' });
    expect(refused.status).toBe(403);

    // Not even readable: 404, as for an action that does not exist.
    grant({
      [INCIDENT_READ]: ownedByTeamA(securityIncidentReadPermission),
      [INCIDENT_UPDATE]: ownedByTeamA(securityIncidentUpdatePermission),
    });
    for (const id of [theirAction.id, 'no-such-action']) {
      const hidden = await request(ctx.server)
        .patch(`${base}/remediation-actions/${id}`)
        .set(as.user('bob'))
        .send({ status: 'done' });
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).not.toContain('Ledger');
    }

    const bad = await request(ctx.server)
      .patch(`${base}/remediation-actions/${myAction.id}`)
      .set(as.user('bob'))
      .send({ status: 'finished' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('status:');

    grant({});
    const none = await request(ctx.server)
      .patch(`${base}/remediation-actions/${myAction.id}`)
      .set(as.user('bob'))
      .send({ status: 'open' });
    expect(none.status).toBe(403);
  });
});
