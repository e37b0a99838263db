import {
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityPostureReadPermission,
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
import { createTestDatabases } from '../__testUtils__/databases';

/*
 * Input that a database refuses is a 400 naming the field on every engine,
 * and a database that cannot be reached is a 503 that names nothing of it.
 * These run the plugin on each supported database, PostgreSQL included: a
 * NUL byte only fails there.
 */

const base = '/api/security-management';
const NUL_MESSAGE = 'must not contain NUL characters';

jest.setTimeout(60_000);

describe('bad input and an unreachable database', () => {
  const databases = createTestDatabases();

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    const ctx = await startSecurityBackend({
      knex: await databases.init(databaseId),
    });
    setPermissions(
      ctx.permissions,
      allow(
        securityPostureReadPermission.name,
        securityTestRecordCreatePermission.name,
        securityIncidentCreatePermission.name,
        securityIncidentReadPermission.name,
        securityIncidentUpdatePermission.name,
        securityReviewCreatePermission.name,
      ),
    );
    return ctx;
  }

  it.each(databases.eachSupportedId())(
    'answers a NUL byte in a body field, a path id or a query parameter with a 400 naming the field, %p',
    async databaseId => {
      const ctx = await start(databaseId);
      try {
        const body = await request(ctx.server)
          .post(`${base}/test-records`)
          .set(as.ci())
          .send({
            controlRef: refs.tls,
            entityRef: refs.payments,
            result: 'pass',
            notes: 'scanned\u0000',
          });
        expect(body.status).toBe(400);
        expect(body.body.error.message).toBe(
          `Invalid request body: notes: ${NUL_MESSAGE}`,
        );

        const path = await request(ctx.server)
          .get(`${base}/incidents/inc%00-1`)
          .set(as.user());
        expect(path.status).toBe(400);
        expect(path.body.error.message).toBe(
          `Invalid path parameters: id: ${NUL_MESSAGE}`,
        );

        const query = await request(ctx.server)
          .get(`${base}/test-records`)
          .query({ entityRef: 'component:default/payments-api\u0000' })
          .set(as.user());
        expect(query.status).toBe(400);
        expect(query.body.error.message).toBe(
          `Invalid query parameters: entityRef: ${NUL_MESSAGE}`,
        );

        // The plugin still works: nothing half-written, nothing broken.
        const listed = await request(ctx.server)
          .get(`${base}/test-records`)
          .set(as.user());
        expect(listed.status).toBe(200);
        expect(listed.body.totalCount).toBe(0);
      } finally {
        await ctx.backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'answers timestamps outside 1970 to 9999 and a version beyond 32 bits with a 400 naming the field, %p',
    async databaseId => {
      const ctx = await start(databaseId);
      try {
        const review = await request(ctx.server)
          .post(`${base}/reviews`)
          .set(as.user())
          .send({
            entityRef: refs.payments,
            outcome: 'approved',
            findings: 'ok',
            reviewedAt: '0000-01-01T00:00:00+01:00',
            nextDueAt: '9999-12-31T23:00:00-05:00',
          });
        expect(review.status).toBe(400);
        expect(review.body.error.message).toBe(
          'Invalid request body: ' +
            'reviewedAt: must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z; ' +
            'nextDueAt: must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z',
        );

        const schedule = await request(ctx.server)
          .get(`${base}/schedule`)
          .query({ from: '1969-12-31T23:59:59Z' })
          .set(as.user());
        expect(schedule.status).toBe(400);
        expect(schedule.body.error.message).toMatch(
          /^Invalid query parameters: from: must be between/,
        );

        const created = await request(ctx.server)
          .post(`${base}/incidents`)
          .set(as.user())
          .send({
            title: 'Leak',
            severity: 'high',
            affectedEntities: [refs.payments],
          });
        expect(created.status).toBe(201);
        const patch = await request(ctx.server)
          .patch(`${base}/incidents/${created.body.id}`)
          .set(as.user())
          .send({ version: 2 ** 31, title: 'Renamed' });
        expect(patch.status).toBe(400);
        expect(patch.body.error.message).toBe(
          'Invalid request body: version: must be at most 2147483647',
        );
      } finally {
        await ctx.backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'syncs a catalog entity whose title holds a NUL byte, dropping the NUL, %p',
    async databaseId => {
      const entities = testCatalog().map(entity =>
        entity.metadata.name === 'payments-api'
          ? {
              ...entity,
              metadata: { ...entity.metadata, title: 'Payments\u0000 API' },
            }
          : entity,
      );
      const ctx = await startSecurityBackend({
        knex: await databases.init(databaseId),
        entities,
      });
      setPermissions(
        ctx.permissions,
        allow(securityPostureReadPermission.name),
      );
      try {
        const posture = await request(ctx.server)
          .get(`${base}/posture/entity`)
          .query({ entityRef: refs.payments })
          .set(as.user());
        expect(posture.status).toBe(200);
        expect(posture.body.title).toBe('Payments API');
      } finally {
        await ctx.backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 503 without host, port, SQL or stack when the database is gone, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const ctx = await startSecurityBackend({ knex });
      setPermissions(
        ctx.permissions,
        allow(
          securityPostureReadPermission.name,
          securityTestRecordCreatePermission.name,
        ),
      );
      try {
        await knex.destroy();

        const read = await request(ctx.server)
          .get(`${base}/controls`)
          .set(as.user());
        const write = await request(ctx.server)
          .post(`${base}/test-records`)
          .set(as.ci())
          .send({
            controlRef: refs.tls,
            entityRef: refs.payments,
            result: 'pass',
          });
        for (const res of [read, write]) {
          expect(res.status).toBe(503);
          expect(res.body.error).toEqual({
            name: 'ServiceUnavailableError',
            message:
              'Security Management is temporarily unavailable: its database cannot be reached. Try again later.',
          });
          const text = JSON.stringify(res.body);
          expect(text).not.toMatch(
            /127\.0\.0\.1|5432|select|insert|stack|at \//i,
          );
        }
        // /health does not read the database.
        const health = await request(ctx.server).get(`${base}/health`);
        expect(health.status).toBe(200);
      } finally {
        await ctx.backend.stop();
      }
    },
  );
});
