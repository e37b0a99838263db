import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityPosture,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityTestRecordCreatePermission,
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
const TEST_CREATE = securityTestRecordCreatePermission.name;
const REPORT_READ = securityReportReadPermission.name;
const INCIDENT_READ = securityIncidentReadPermission.name;

jest.setTimeout(30_000);

describe('posture routes', () => {
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

  it('changes the posture of an entity when a failing test is posted', async () => {
    grant(allow(POSTURE_READ, TEST_CREATE));
    const before = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: 'component:default/Payments-API' })
      .set(as.user());
    expect(before.status).toBe(200);
    expect(before.body.counts).toMatchObject({ untested: 2, failing: 0 });
    expect(before.body).toMatchObject({
      owner: refs.teamA,
      system: 'system:default/payments',
      domain: 'domain:default/finance',
      riskTier: 1,
    });

    const posted = await request(ctx.server)
      .post(`${base}/test-records`)
      .set(as.user())
      .send({
        controlRef: 'encrypt-data-in-transit',
        entityRef: refs.payments,
        result: 'fail',
        evidenceUrl: 'https://ci.example.com/runs/1',
      });
    expect(posted.status).toBe(201);
    expect(posted.body.created).toBe(true);
    expect(posted.body.record).toMatchObject({
      controlRef: refs.tls,
      tester: 'user:default/alice',
      method: 'automated',
    });

    const after = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: refs.payments })
      .set(as.user());
    expect(after.body.counts).toMatchObject({ untested: 1, failing: 1 });
    const tls = after.body.controls.find(
      (c: { control: { ref: string } }) => c.control.ref === refs.tls,
    );
    expect(tls).toMatchObject({ status: 'failing', lastResult: 'fail' });
  });

  it('answers 404 for the posture of an entity without controls', async () => {
    grant(allow(POSTURE_READ));
    const res = await request(ctx.server)
      .get(`${base}/posture/entity`)
      .query({ entityRef: refs.lonely })
      .set(as.user());
    expect(res.status).toBe(404);
  });

  it('lists, batches and rolls up posture', async () => {
    grant(allow(POSTURE_READ, securityReportReadPermission.name));
    const list = await request(ctx.server)
      .get(`${base}/posture`)
      .query({ owner: 'team-b' })
      .set(as.user());
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(1);
    expect(list.body.items[0].entityRef).toBe(refs.ledger);

    const batch = await request(ctx.server)
      .post(`${base}/posture/batch`)
      .set(as.user())
      .send({ entityRefs: [refs.ledger, refs.lonely, refs.payments] });
    expect(batch.status).toBe(200);
    expect(
      batch.body.items.map((p: { entityRef: string }) => p.entityRef),
    ).toEqual([refs.ledger, refs.payments]);

    const rollup = await request(ctx.server)
      .get(`${base}/posture/rollup`)
      .query({ by: 'domain' })
      .set(as.user());
    expect(rollup.status).toBe(200);
    expect(rollup.body.items.map((i: { key: string | null }) => i.key)).toEqual(
      ['domain:default/finance', null],
    );
  });
  describe('open incidents beside the score', () => {
    const noIncidents = { critical: 0, high: 0, medium: 0, low: 0 };

    /**
     * A high incident on payments-api (team-a), a critical one on ledger
     * (team-b), and a passing test on ledger: its score is 100 - 10 for a
     * review that never happened, whoever asks.
     */
    async function seed() {
      grant(allow(TEST_CREATE, securityIncidentCreatePermission.name));
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
      const tested = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send({
          controlRef: refs.tls,
          entityRef: refs.ledger,
          result: 'pass',
        });
      expect(tested.status).toBe(201);
    }

    /** Every posture answer the caller gets, by surface. */
    async function postureAnswers() {
      const entity = await request(ctx.server)
        .get(`${base}/posture/entity`)
        .query({ entityRef: refs.ledger })
        .set(as.user('bob'));
      const batch = await request(ctx.server)
        .post(`${base}/posture/batch`)
        .set(as.user('bob'))
        .send({ entityRefs: [refs.payments, refs.ledger] });
      const list = await request(ctx.server)
        .get(`${base}/posture`)
        .set(as.user('bob'));
      const rollup = await request(ctx.server)
        .get(`${base}/posture/rollup`)
        .query({ by: 'owner' })
        .set(as.user('bob'));
      for (const res of [entity, batch, list, rollup]) {
        expect(res.status).toBe(200);
      }
      const byRef = (items: EntityPosture[]) =>
        Object.fromEntries(items.map(item => [item.entityRef, item]));
      return {
        entity: entity.body,
        batch: byRef(batch.body.items),
        list: byRef(list.body.items),
        rollup: Object.fromEntries(
          rollup.body.items.map((item: { key: string }) => [item.key, item]),
        ),
      };
    }

    it('counts only the incidents a conditional decision lets the caller read', async () => {
      await seed();
      grant({
        ...allow(POSTURE_READ, REPORT_READ),
        [INCIDENT_READ]: createSecurityIncidentConditionalDecision(
          securityIncidentReadPermission,
          securityIncidentConditions.affectsOwnedEntity({
            ownerRefs: [refs.teamA],
          }),
        ),
      });
      const answers = await postureAnswers();

      expect(answers.entity).toMatchObject({
        openIncidents: noIncidents,
        score: 90,
        grade: 'A',
      });
      for (const items of [answers.batch, answers.list]) {
        expect(items[refs.ledger]).toMatchObject({
          openIncidents: noIncidents,
          score: 90,
        });
        expect(items[refs.payments].openIncidents).toEqual({
          ...noIncidents,
          high: 1,
        });
      }
      expect(answers.rollup[refs.teamA].openIncidents).toEqual({
        ...noIncidents,
        high: 1,
      });
      expect(answers.rollup[refs.teamB].openIncidents).toEqual(noIncidents);
    });

    it('leaves the counts out for a caller who may read no incident, with the same score', async () => {
      await seed();
      grant(allow(POSTURE_READ, REPORT_READ));
      const answers = await postureAnswers();

      expect(answers.entity).toMatchObject({ score: 90, grade: 'A' });
      expect(answers.entity).not.toHaveProperty('openIncidents');
      for (const items of [answers.batch, answers.list]) {
        expect(items[refs.ledger]).toMatchObject({ score: 90 });
        for (const item of Object.values(items)) {
          expect(item).not.toHaveProperty('openIncidents');
        }
      }
      for (const item of Object.values(answers.rollup)) {
        expect(item).not.toHaveProperty('openIncidents');
      }
    });

    it('counts every open incident for a caller who may read them all', async () => {
      await seed();
      grant({
        ...allow(POSTURE_READ, REPORT_READ),
        [INCIDENT_READ]: { result: AuthorizeResult.ALLOW },
      });
      const answers = await postureAnswers();

      // The incident is beside the score, not in it.
      expect(answers.entity).toMatchObject({
        openIncidents: { ...noIncidents, critical: 1 },
        score: 90,
      });
      expect(answers.rollup[refs.teamB].openIncidents).toEqual({
        ...noIncidents,
        critical: 1,
      });
    });
  });
});
