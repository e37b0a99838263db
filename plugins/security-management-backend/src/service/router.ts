import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';

import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { SecurityStores } from '../database';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { createSecurityRouter, principalRef } from '../lib/routing';
import { CatalogSync } from '../applicability/CatalogSync';
import { registerApplicabilityRoutes } from '../applicability/routes';
import { IncidentService } from '../incidents/IncidentService';
import { registerIncidentRoutes } from '../incidents/routes';
import { registerPostureRoutes } from '../posture/routes';
import { ReviewService } from '../reviews/ReviewService';
import { registerReviewRoutes } from '../reviews/routes';
import { registerTestingRoutes } from '../testing/routes';
import { TestingService } from '../testing/TestingService';
import { ReportBuilder, reportToCsv } from './ReportBuilder';
import { SecurityService } from './SecurityService';
import {
  exceptionDecisionSchema,
  exceptionInputSchema,
  exceptionQuerySchema,
  idParamsSchema,
  parseBody,
  parseParams,
  parseQuery,
  reportQuerySchema,
} from './validation';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  stores: SecurityStores;
  service: SecurityService;
  incidentService: IncidentService;
  reports: ReportBuilder;
  catalogSync: CatalogSync;
  /** Turns conditional incident decisions into store filters. */
  transformIncidentConditions: ConditionTransformer<IncidentRuleQuery>;
  /** ISO-8601 window before a review's due date that counts as due soon. */
  reviewDueSoon: string;
  /** ISO-8601 review cadence by risk tier. */
  reviewCadenceByTier: Readonly<Record<number, string>>;
}

/** The REST API of the plugin; see SECURITY_MANAGEMENT_ROUTES. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    auditor,
    stores,
    service,
    incidentService,
    reports,
    catalogSync,
    transformIncidentConditions,
    reviewDueSoon,
    reviewCadenceByTier,
  } = options;
  const { router, context } = createSecurityRouter({
    httpAuth,
    permissions,
    auditor,
    logger,
  });
  const { authorizer, audit } = context;
  const credentialsOf = context.credentials;

  registerApplicabilityRoutes(router, {
    context,
    store: stores.applicability,
    catalogSync,
  });
  registerTestingRoutes(router, {
    context,
    store: stores.testing,
    service: new TestingService({
      applicability: stores.applicability,
      testing: stores.testing,
    }),
  });
  registerPostureRoutes(router, {
    context,
    store: stores.posture,
    reviewDueSoon,
  });
  registerIncidentRoutes(router, {
    context,
    store: stores.incidents,
    service: incidentService,
    transformConditions: transformIncidentConditions,
  });
  registerReviewRoutes(router, {
    context,
    store: stores.reviews,
    service: new ReviewService({
      applicability: stores.applicability,
      reviews: stores.reviews,
      reviewCadenceByTier,
    }),
  });

  // --- exceptions ---

  router.get(ROUTES.exceptions, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(exceptionQuerySchema, req.query);
    res.json(await stores.exceptions.listExceptions(query));
  });

  router.post(ROUTES.exceptions, async (req, res) => {
    const credentials = await credentialsOf(req);
    const exception = await audit(req, {
      eventId: 'exception-request',
      severityLevel: 'medium',
      run: async () => {
        await authorizer.require(
          securityExceptionRequestPermission,
          credentials,
        );
        const input = parseBody(exceptionInputSchema, req.body);
        return service.requestException({
          input,
          requestedBy: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: created => ({
        exceptionId: created.id,
        controlRef: created.controlRef,
        entityRef: created.entityRef,
        expiresAt: created.expiresAt,
      }),
    });
    res.status(201).json(exception);
  });

  for (const [route, decision, eventId] of [
    [ROUTES.exceptionApprove, 'approved', 'exception-approve'],
    [ROUTES.exceptionReject, 'rejected', 'exception-reject'],
  ] as const) {
    router.post(route, async (req, res) => {
      const credentials = await credentialsOf(req);
      const { id } = parseParams(idParamsSchema, req.params);
      const exception = await audit(req, {
        eventId,
        severityLevel: 'high',
        meta: { exceptionId: id },
        run: async () => {
          await authorizer.require(
            securityExceptionDecidePermission,
            credentials,
          );
          const { note } = parseBody(exceptionDecisionSchema, req.body);
          return service.decideException({
            id,
            decision,
            decidedBy: principalRef(credentials),
            note,
            now: new Date(),
          });
        },
        describe: decided => ({
          controlRef: decided.controlRef,
          entityRef: decided.entityRef,
          status: decided.status,
          requestedBy: decided.requestedBy,
        }),
      });
      res.json(exception);
    });
  }

  // --- schedule, report, applicability ---

  router.get(ROUTES.report, async (req, res) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    const { format } = parseQuery(reportQuerySchema, req.query);
    const report = await reports.build(new Date());
    if (format === 'json') {
      res.json(report);
      return;
    }
    const day = report.generatedAt.slice(0, 10);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(`security-report-${day}.csv`)
      .send(reportToCsv(report));
  });

  return router;
}
