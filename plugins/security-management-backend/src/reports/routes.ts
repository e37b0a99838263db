import { InputError, NotAllowedError } from '@backstage/errors';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { incidentReadAccess } from '../incidents/incidentAccess';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { handle, RouteContext } from '../lib/routing';
import { periodOf, reportInstants } from './period';
import { ReportBuilder } from './ReportBuilder';
import {
  entitiesCsv,
  exceptionsCsv,
  incidentsCsv,
  testCoverageCsv,
  testReportCsv,
} from './reportCsv';
import { TestReportBuilder } from './TestReportBuilder';

/** Answers CSV text as a file to save. */
function sendCsv(res: express.Response, fileName: string, csv: string) {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .attachment(fileName)
    .send(csv);
}

/** `securitycontrol:default/tls` as `securitycontrol-default-tls`. */
function fileNameOf(ref: string): string {
  return ref.replace(/[^a-z0-9._-]+/gi, '-');
}

const day = (millis: number) => new Date(millis).toISOString().slice(0, 10);

/**
 * The IT security report as of an instant and over a period, as JSON or as
 * one CSV table, with incident figures over the incidents the caller may
 * read; and the test report of a control or an entity for a period.
 */
export function registerReportRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    reports: ReportBuilder;
    testReports: TestReportBuilder;
    /** Turns conditional incident decisions into store filters. */
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
  },
): void {
  const { context, reports, testReports, transformConditions } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'getReport', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const [, incidentAccess] = await Promise.all([
      authorizer.require(securityReportReadPermission, credentials),
      incidentReadAccess({ authorizer, credentials, transformConditions }),
    ]);
    const query = input.query();
    const instants = reportInstants(query, new Date());
    const request = { instants, live: !query.asOf, incidentAccess };
    if (query.format === 'json') {
      res.json(await reports.build(request));
      return;
    }
    const section = query.section;
    const name =
      section === 'entities'
        ? `security-report-${day(instants.asOf)}.csv`
        : `security-report-${section}-${day(instants.asOf)}.csv`;
    if (section === 'incidents') {
      const incidents = await reports.incidents(request);
      if (!incidents) {
        throw new NotAllowedError(
          'You may not read security incidents, so the report has no incident table for you',
        );
      }
      sendCsv(res, name, incidentsCsv(incidents.figures.items));
    } else if (section === 'exceptions') {
      const exceptions = await reports.exceptions(instants);
      sendCsv(res, name, exceptionsCsv(exceptions.items));
    } else if (section === 'tests') {
      sendCsv(
        res,
        name,
        testCoverageCsv(await reports.coveragePairs(instants)),
      );
    } else {
      const incidents = await reports.incidents(request);
      const entities = await reports.entities(request, incidents?.open);
      sendCsv(res, name, entitiesCsv(entities));
    }
  });

  handle(router, 'getTestReport', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityPostureReadPermission, credentials);
    const query = input.query();
    const now = new Date();
    const { from, to } = periodOf(query, now.getTime());
    if (from > to) {
      throw new InputError(
        'Invalid query parameters: from: must not be after to, which is now by default',
      );
    }
    const scope = { controlRef: query.controlRef, entityRef: query.entityRef };
    const report = await testReports.build({ scope, from, to, now });
    if (query.format === 'json') {
      res.json(report);
      return;
    }
    const subject = [scope.controlRef, scope.entityRef]
      .filter(Boolean)
      .map(ref => fileNameOf(ref!))
      .join('-');
    sendCsv(
      res,
      `test-report-${subject}-${day(from)}-${day(to)}.csv`,
      testReportCsv(report.tests),
    );
  });
}
