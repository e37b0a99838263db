import {
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
  TestRecordBatchResult,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditBatchTarget, auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { TestingService } from './TestingService';
import { TestingStore } from './TestingStore';

const SCHEDULE_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Test records, one at a time or in batches, and the testing schedule. */
export function registerTestingRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: TestingStore;
    service: TestingService;
  },
): void {
  const { context, store, service } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  handle(router, 'listTestRecords', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = input.query();
    res.json(await store.listTestRecords(query));
  });

  handle(router, 'createTestRecord', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const [result] = await audit(req, {
      eventId: 'test-record-create',
      severityLevel: 'medium',
      meta: auditTarget(req.body, ['controlRef', 'entityRef', 'externalId']),
      run: async () => {
        await authorizer.require(
          securityTestRecordCreatePermission,
          credentials,
        );
        const record = input.body();
        return service.recordTests({
          records: [record],
          tester: principalRef(credentials),
          now: new Date(),
          batch: false,
        });
      },
      describe: ([posted]) => ({
        recordId: posted.record.id,
        controlRef: posted.record.controlRef,
        entityRef: posted.record.entityRef,
        result: posted.record.result,
        created: posted.created,
      }),
    });
    res.status(result.created ? 201 : 200).json(result);
  });

  handle(router, 'createTestRecords', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const items = await audit(req, {
      eventId: 'test-record-create',
      severityLevel: 'medium',
      meta: { queryType: 'batch', ...auditBatchTarget(req.body) },
      run: async () => {
        await authorizer.require(
          securityTestRecordCreatePermission,
          credentials,
        );
        const { records } = input.body();
        return service.recordTests({
          records,
          tester: principalRef(credentials),
          now: new Date(),
          batch: true,
        });
      },
      describe: posted => ({
        createdCount: posted.filter(item => item.created).length,
        duplicateCount: posted.filter(item => !item.created).length,
        recordIds: posted.map(item => item.record.id),
      }),
    });
    const createdCount = items.filter(item => item.created).length;
    const body: TestRecordBatchResult = {
      items,
      createdCount,
      duplicateCount: items.length - createdCount,
    };
    res.status(createdCount > 0 ? 201 : 200).json(body);
  });

  handle(router, 'getSchedule', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = input.query();
    const now = new Date();
    const from = query.from ?? now.toISOString();
    const to =
      query.to ??
      new Date(
        Math.max(Date.parse(from), now.getTime()) +
          SCHEDULE_WINDOW_DAYS * DAY_MS,
      ).toISOString();
    res.json(await store.schedule({ query: { ...query, from, to }, now }));
  });
}
