import { NotFoundError } from '@backstage/errors';
import { securityPostureReadPermission } from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { handle, RouteContext } from '../lib/routing';
import { OscalExporter } from './OscalExporter';

function notKnown(entityRef: string): NotFoundError {
  return new NotFoundError(
    `No OSCAL export for '${entityRef}': it is not in the catalog or no security control applies to it`,
  );
}

/** `component:default/payments-api` as `component-default-payments-api`. */
function fileNameOf(entityRef: string): string {
  return entityRef.replace(/[^a-z0-9._-]+/gi, '-');
}

/** Answers a document as a JSON file to save. */
function sendDocument(res: express.Response, fileName: string, doc: unknown) {
  res
    .status(200)
    .attachment(fileName)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(doc, null, 2));
}

/**
 * The OSCAL exports of an entity: its controls as a component definition
 * and its test records of a period as assessment results, for whoever may
 * read posture.
 */
export function registerOscalRoutes(
  router: express.Router,
  options: { context: RouteContext; exporter: OscalExporter },
): void {
  const { context, exporter } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'exportComponentDefinition', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityPostureReadPermission, credentials);
    const { entityRef } = input.query();
    const doc = await exporter.componentDefinition({
      entityRef,
      credentials,
      now: new Date(),
    });
    if (!doc) throw notKnown(entityRef);
    sendDocument(
      res,
      `oscal-component-definition-${fileNameOf(entityRef)}.json`,
      doc,
    );
  });

  handle(router, 'exportAssessmentResults', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityPostureReadPermission, credentials);
    const { entityRef, from, to } = input.query();
    const doc = await exporter.assessmentResults({
      entityRef,
      from,
      to,
      credentials,
      now: new Date(),
    });
    if (!doc) throw notKnown(entityRef);
    const [result] = doc['assessment-results'].results;
    sendDocument(
      res,
      `oscal-assessment-results-${fileNameOf(entityRef)}-${result.start.slice(
        0,
        10,
      )}-${result.end.slice(0, 10)}.json`,
      doc,
    );
  });
}
