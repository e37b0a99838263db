import { LoggerService } from '@backstage/backend-plugin-api';
import { securityTestRecordCreatePermission } from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import { auditBatchTarget, auditTarget } from './audit';

const base = '/api/security-management';

jest.setTimeout(30_000);

type Line = { level: string; message: string; fields: any };

/** A logger that keeps every line with the fields of its child loggers. */
function recordingLogger() {
  const lines: Line[] = [];
  const make = (fields: object): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) =>
      lines.push({
        level,
        message,
        fields: {
          ...fields,
          ...(meta instanceof Error ? {} : (meta as object)),
        },
      });
    return {
      child: more => make({ ...fields, ...more }),
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
    };
  };
  return { logger: make({}), lines };
}

describe('audit trail with the default auditor', () => {
  it('writes every test record, allowed or refused, at info level, naming what it targeted', async () => {
    const { logger, lines } = recordingLogger();
    const ctx = await startSecurityBackend({ auditLogger: logger });
    try {
      setPermissions(
        ctx.permissions,
        allow(securityTestRecordCreatePermission.name),
      );
      const record = {
        controlRef: refs.tls,
        entityRef: refs.payments,
        result: 'pass',
      };
      await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.ci())
        .send(record)
        .expect(201);
      setPermissions(ctx.permissions, {});
      await request(ctx.server)
        .post(`${base}/test-records`)
        .set(as.user())
        .send({ ...record, result: 'fail' })
        .expect(403);

      const events = lines.filter(
        line => line.message === 'security-management.test-record-create',
      );
      expect(events.map(e => [e.level, e.fields.status])).toEqual([
        ['info', 'initiated'],
        ['info', 'succeeded'],
        ['info', 'initiated'],
        ['info', 'failed'],
      ]);
      expect(events[3].fields).toMatchObject({
        actor: { actorId: 'user:default/alice' },
        meta: { controlRef: refs.tls, entityRef: refs.payments },
      });
    } finally {
      await ctx.backend.stop();
    }
  });
});

describe('auditTarget', () => {
  it('names the targeted fields of a raw body, strings only and shortened', () => {
    expect(
      auditTarget(
        {
          controlRef: 'tls',
          entityRef: 'x'.repeat(1000),
          result: 'pass',
          notes: { nested: true },
        },
        ['controlRef', 'entityRef', 'notes', 'missing'],
      ),
    ).toEqual({ controlRef: 'tls', entityRef: 'x'.repeat(300) });
    expect(auditTarget('not an object', ['controlRef'])).toEqual({});
  });

  it('names at most twenty pairs of a batch, with its size', () => {
    const records = Array.from({ length: 25 }, (_, i) => ({
      controlRef: `c${i}`,
      entityRef: `e${i}`,
    }));
    const target = auditBatchTarget({ records });
    expect(target.recordCount).toBe(25);
    expect(target.targets).toHaveLength(20);
    expect((target.targets as object[])[0]).toEqual({
      controlRef: 'c0',
      entityRef: 'e0',
    });
  });
});
