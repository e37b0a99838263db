import { ConditionTransformer } from '@backstage/plugin-permission-node';
import { securityReportReadPermission } from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { incidentReadAccess } from '../incidents/incidentAccess';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { handle, RouteContext } from '../lib/routing';
import { ReportBuilder, reportToCsv } from './ReportBuilder';

/**
 * The IT security report, as JSON or as a CSV attachment, with incident
 * figures over the incidents the caller may read.
 */
export function registerReportRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    reports: ReportBuilder;
    /** Turns conditional incident decisions into store filters. */
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
  },
): void {
  const { context, reports, transformConditions } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'getReport', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const [, incidentAccess] = await Promise.all([
      authorizer.require(securityReportReadPermission, credentials),
      incidentReadAccess({ authorizer, credentials, transformConditions }),
    ]);
    const { format } = input.query();
    const report = await reports.build({ now: new Date(), incidentAccess });
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
}
