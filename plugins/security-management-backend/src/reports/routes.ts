import { securityReportReadPermission } from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { handle, RouteContext } from '../lib/routing';
import { ReportBuilder, reportToCsv } from './ReportBuilder';

/** The IT security report, as JSON or as a CSV attachment. */
export function registerReportRoutes(
  router: express.Router,
  options: { context: RouteContext; reports: ReportBuilder },
): void {
  const { context, reports } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'getReport', async (req, res, input) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    const { format } = input.query();
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
}
