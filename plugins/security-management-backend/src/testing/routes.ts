import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
  TestRecordBatchResult,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { principalRef, RouteContext } from '../lib/routing';
import {
  parseBody,
  parseQuery,
  scheduleQuerySchema,
  testRecordBatchSchema,
  testRecordInputSchema,
  testRecordQuerySchema,
} from '../service/validation';
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

  router.get(ROUTES.testRecords, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(testRecordQuerySchema, req.query);
    res.json(await store.listTestRecords(query));
  });

  router.post(ROUTES.testRecords, async (req, res) => {
    const credentials = await credentialsOf(req);
    const [result] = await audit(req, {
      eventId: 'test-record-create',
      severityLevel: 'low',
      run: async () => {
        await authorizer.require(
          securityTestRecordCreatePermission,
          credentials,
        );
        const record = parseBody(testRecordInputSchema, req.body);
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

  router.post(ROUTES.testRecordBatch, async (req, res) => {
    const credentials = await credentialsOf(req);
    const items = await audit(req, {
      eventId: 'test-record-create',
      severityLevel: 'low',
      meta: { queryType: 'batch' },
      run: async () => {
        await authorizer.require(
          securityTestRecordCreatePermission,
          credentials,
        );
        const { records } = parseBody(testRecordBatchSchema, req.body);
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

  router.get(ROUTES.schedule, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(scheduleQuerySchema, req.query);
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
