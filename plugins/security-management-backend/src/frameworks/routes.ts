import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { handle, RouteContext } from '../lib/routing';
import { FrameworkService } from './FrameworkService';
import { FrameworkStore } from './FrameworkStore';
import { soaToCsv } from './soaCsv';

/** A file name part: letters, digits, dots and dashes. */
function fileSafe(value: string): string {
  return value.replace(/[^a-z0-9.-]+/gi, '-').replace(/^-+|-+$/g, '');
}

/**
 * Frameworks, the Statement of Applicability (JSON or a CSV attachment),
 * coverage and the OSCAL imports' state. All reads: posture.read for what a
 * service's readers may see, report.read for the organisation's view.
 */
export function registerFrameworkRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    service: FrameworkService;
    store: FrameworkStore;
  },
): void {
  const { context, service, store } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'listFrameworks', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityPostureReadPermission, credentials);
    res.json(await service.listFrameworks());
  });

  handle(router, 'getStatementOfApplicability', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityPostureReadPermission, credentials);
    const { entityRef, framework, format } = input.query();
    const soa = await service.statementOfApplicability({
      entityRef,
      framework,
      credentials,
      now: new Date(),
    });
    if (format === 'json') {
      res.json(soa);
      return;
    }
    const name = fileSafe(entityRef.split('/').pop() ?? entityRef);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(`soa-${name}-${fileSafe(framework)}.csv`)
      .send(soaToCsv(soa));
  });

  handle(router, 'getFrameworkCoverage', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityReportReadPermission, credentials);
    const { framework } = input.query();
    res.json(await service.coverage({ framework, now: new Date() }));
  });

  handle(router, 'listFrameworkImports', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityReportReadPermission, credentials);
    res.json({ items: await store.listImports() });
  });
}
