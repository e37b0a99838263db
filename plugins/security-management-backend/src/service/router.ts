import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';

import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { SecurityStores } from '../database';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { createSecurityRouter } from '../lib/routing';
import { CatalogSync } from '../applicability/CatalogSync';
import { registerApplicabilityRoutes } from '../applicability/routes';
import { ExceptionService } from '../exceptions/ExceptionService';
import { registerExceptionRoutes } from '../exceptions/routes';
import { IncidentService } from '../incidents/IncidentService';
import { registerIncidentRoutes } from '../incidents/routes';
import { registerPostureRoutes } from '../posture/routes';
import { ReviewService } from '../reviews/ReviewService';
import { registerReviewRoutes } from '../reviews/routes';
import { registerTestingRoutes } from '../testing/routes';
import { TestingService } from '../testing/TestingService';
import { ReportBuilder, reportToCsv } from './ReportBuilder';
import { parseQuery, reportQuerySchema } from './validation';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  stores: SecurityStores;
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
  const { authorizer } = context;
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
  registerExceptionRoutes(router, {
    context,
    store: stores.exceptions,
    service: new ExceptionService({
      applicability: stores.applicability,
      exceptions: stores.exceptions,
    }),
  });

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
