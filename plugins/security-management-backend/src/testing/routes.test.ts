import {
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

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const TEST_CREATE = securityTestRecordCreatePermission.name;

jest.setTimeout(30_000);

describe('testing routes', () => {
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

  describe('test records', () => {
    const record = {
      controlRef: refs.tls,
      entityRef: refs.payments,
      result: 'pass',
    };

    it('records the service principal subject as tester for CI', async () => {
      grant(allow(TEST_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send(record);
      expect(res.status).toBe(201);
      expect(res.body.record.tester).toBe('ci-pipeline');
    });

    it('returns the first record with 200 when a post is retried', async () => {
      grant(allow(TEST_CREATE, POSTURE_READ));
      const first = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send({ ...record, externalId: 'run-42' });
      const retry = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send({ ...record, externalId: 'run-42' });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ record: first.body.record, created: false });

      const list = await request(ctx.server)
        .get(`${base}/test-records`)
        .query({ entityRef: refs.payments })
        .set(as.user());
      expect(list.body.totalCount).toBe(1);
    });

    it('stores a batch and reports duplicates', async () => {
      grant(allow(TEST_CREATE));
      const records = [
        { ...record, externalId: 'a' },
        { ...record, controlRef: refs.mfa, externalId: 'b' },
        { ...record, entityRef: refs.ledger, result: 'partial' },
      ];
      const first = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({ records });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ createdCount: 3, duplicateCount: 0 });

      const again = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({ records: records.slice(0, 2) });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ createdCount: 0, duplicateCount: 2 });
    });

    it('names the bad field of a malformed record', async () => {
      grant(allow(TEST_CREATE));
      const records = [record, record, record, { ...record, result: 'passed' }];
      const res = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({ records });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(
        'records[3].result: expected one of pass|fail|partial|error',
      );
    });

    it('names missing and unknown fields', async () => {
      grant(allow(TEST_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send({ entityRef: refs.payments, result: 'pass', evidence: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('controlRef: is required');
      expect(res.body.error.message).toContain("unknown field 'evidence'");
    });

    it('refuses a testedAt more than 5 minutes in the future', async () => {
      grant(allow(TEST_CREATE));
      const testedAt = new Date(Date.now() + 10 * 60_000).toISOString();
      const res = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({ records: [{ ...record, testedAt }] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('records[0].testedAt: ');
      expect(res.body.error.message).toContain('5 minutes in the future');
    });

    it('refuses an unknown entity and a control that does not apply', async () => {
      grant(allow(TEST_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({
          records: [
            { ...record, entityRef: 'component:default/nope' },
            { ...record, entityRef: refs.ledger, controlRef: refs.mfa },
          ],
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        "records[0].entityRef: unknown entity 'component:default/nope'",
      );
      expect(res.body.error.message).toContain(
        `records[1].controlRef: control '${refs.mfa}' does not apply to '${refs.ledger}'`,
      );
    });

    it('refuses a batch of more than 1000 records, saying the limit', async () => {
      grant(allow(TEST_CREATE));
      const records = Array.from({ length: 1001 }, () => record);
      const res = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({ records });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('at most 1000 records');
    });

    it('answers 400 to malformed JSON', async () => {
      grant(allow(TEST_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .set('Content-Type', 'application/json')
        .send('{"controlRef": ');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('not valid JSON');
    });

    it('answers 415 naming the type when the body is not JSON', async () => {
      grant(allow(TEST_CREATE, POSTURE_READ));
      const res = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(record));
      expect(res.status).toBe(415);
      expect(res.body.error.message).toBe(
        "Request body must be JSON (Content-Type: application/json), not 'text/plain'",
      );
      const { body } = await request(ctx.server)
        .get(`${base}/test-records`)
        .set(as.ci());
      expect(body.totalCount).toBe(0);
    });

    it('answers 413 to an oversized body', async () => {
      grant(allow(TEST_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/test-records/batch`)
        .set(as.ci())
        .send({ records: [{ ...record, notes: 'x'.repeat(6 * 1024 * 1024) }] });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toContain('larger than 5mb');
    });

    it('audits every write with what it created', async () => {
      grant(allow(TEST_CREATE));
      const res = await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send(record);
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'test-record-create',
          severityLevel: 'medium',
        }),
      );
      const event = await auditorEvent(ctx.auditor, 'test-record-create');
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          recordId: res.body.record.id,
          controlRef: refs.tls,
          entityRef: refs.payments,
        }),
      });
    });

    it('audits a denied write as a failure', async () => {
      grant({});
      await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send(record)
        .expect(403);
      const event = await auditorEvent(ctx.auditor, 'test-record-create');
      expect(event.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'NotAllowedError' }),
      });
      expect(event.success).not.toHaveBeenCalled();
    });
  });

  describe('schedule', () => {
    it('shows untested controls on the schedule', async () => {
      grant(allow(POSTURE_READ));
      const res = await request(ctx.server)
        .get(`${base}/schedule`)
        .query({ owner: 'team-a' })
        .set(as.user());
      expect(res.status).toBe(200);
      expect(res.body.tests).toHaveLength(2);
      expect(res.body.tests[0]).toMatchObject({
        entityRef: refs.payments,
        state: 'untested',
      });
    });
  });
});
