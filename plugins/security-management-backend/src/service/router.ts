import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  Incident,
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { SecurityStores } from '../database';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { createSecurityRouter, principalRef } from '../lib/routing';
import { CatalogSync } from '../applicability/CatalogSync';
import { registerApplicabilityRoutes } from '../applicability/routes';
import { registerPostureRoutes } from '../posture/routes';
import { registerTestingRoutes } from '../testing/routes';
import { TestingService } from '../testing/TestingService';
import { ReportBuilder, reportToCsv } from './ReportBuilder';
import { SecurityService } from './SecurityService';
import {
  exceptionDecisionSchema,
  exceptionInputSchema,
  exceptionQuerySchema,
  idParamsSchema,
  incidentInputSchema,
  incidentPatchSchema,
  incidentQuerySchema,
  incidentReviewSchema,
  incidentTransitionSchema,
  parseBody,
  parseParams,
  parseQuery,
  reportQuerySchema,
  reviewInputSchema,
  reviewQuerySchema,
} from './validation';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  stores: SecurityStores;
  service: SecurityService;
  reports: ReportBuilder;
  catalogSync: CatalogSync;
  /** Turns conditional incident decisions into store filters. */
  transformIncidentConditions: ConditionTransformer<IncidentRuleQuery>;
  /** ISO-8601 window before a review's due date that counts as due soon. */
  reviewDueSoon: string;
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
    reports,
    catalogSync,
    transformIncidentConditions,
    reviewDueSoon,
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

  async function visibleIncident(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const { filter } = await authorizer.requireResourceAccess({
      permission: securityIncidentReadPermission,
      credentials,
      transformConditions: transformIncidentConditions,
    });
    const incident = await stores.incidents.getIncident({ id, filter });
    if (!incident) throw new NotFoundError(`No incident with id '${id}'`);
    return incident;
  }

  /**
   * Checks that the caller may change an incident. One they cannot see is
   * a 404, so that its existence is not revealed; one they can see but not
   * change is a 403.
   */
  async function requireIncidentUpdate(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [read, update] = await authorizer.resourceAccess({
      permissions: [
        securityIncidentReadPermission,
        securityIncidentUpdatePermission,
      ],
      credentials,
      transformConditions: transformIncidentConditions,
    });
    if (!update.allowed) {
      throw new NotAllowedError(
        `You are not allowed to do this (${securityIncidentUpdatePermission.name})`,
      );
    }
    if (await stores.incidents.getIncident({ id, filter: update.filter }))
      return;
    const visible =
      read.allowed &&
      (await stores.incidents.getIncident({ id, filter: read.filter })) !==
        undefined;
    if (!visible) throw new NotFoundError(`No incident with id '${id}'`);
    throw new NotAllowedError(
      `You are not allowed to change incident '${id}' (${securityIncidentUpdatePermission.name})`,
    );
  }

  // --- incidents ---

  router.get(ROUTES.incidents, async (req, res) => {
    const { filter } = await authorizer.requireResourceAccess({
      permission: securityIncidentReadPermission,
      credentials: await credentialsOf(req),
      transformConditions: transformIncidentConditions,
    });
    const query = parseQuery(incidentQuerySchema, req.query);
    res.json(await stores.incidents.listIncidents({ query, filter }));
  });

  router.post(ROUTES.incidents, async (req, res) => {
    const credentials = await credentialsOf(req);
    const incident = await audit(req, {
      eventId: 'incident-create',
      severityLevel: 'medium',
      run: async () => {
        await authorizer.require(securityIncidentCreatePermission, credentials);
        const input = parseBody(incidentInputSchema, req.body);
        return service.createIncident({
          input,
          actor: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: created => ({
        incidentId: created.id,
        severity: created.severity,
        affectedEntities: created.affectedEntities,
      }),
    });
    res.status(201).json(incident);
  });

  router.get(ROUTES.incident, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parseParams(idParamsSchema, req.params);
    res.json(await visibleIncident(id, credentials));
  });

  router.patch(ROUTES.incident, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parseParams(idParamsSchema, req.params);
    const incident = await audit(req, {
      eventId: 'incident-update',
      severityLevel: 'medium',
      meta: { incidentId: id },
      run: async () => {
        await requireIncidentUpdate(id, credentials);
        const patch = parseBody(incidentPatchSchema, req.body);
        return service.updateIncident({
          id,
          patch,
          actor: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: updated => ({
        version: updated.version,
        fields: Object.keys(req.body ?? {}).filter(key => key !== 'version'),
      }),
    });
    res.json(incident);
  });

  router.post(ROUTES.incidentTransitions, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parseParams(idParamsSchema, req.params);
    const incident = await audit(req, {
      eventId: 'incident-transition',
      severityLevel: 'medium',
      meta: { incidentId: id },
      run: async () => {
        await requireIncidentUpdate(id, credentials);
        const input = parseBody(incidentTransitionSchema, req.body);
        return stores.incidents.transitionIncident({
          id,
          ...input,
          actor: { ref: principalRef(credentials) },
          now: new Date(),
        });
      },
      describe: updated => ({
        status: updated.status,
        version: updated.version,
      }),
    });
    res.json(incident);
  });

  router.put(ROUTES.incidentReview, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parseParams(idParamsSchema, req.params);
    const incident = await audit(req, {
      eventId: 'incident-review',
      severityLevel: 'medium',
      meta: { incidentId: id },
      run: async () => {
        await requireIncidentUpdate(id, credentials);
        const { version, ...review } = parseBody(
          incidentReviewSchema,
          req.body,
        );
        return stores.incidents.setIncidentReview({
          id,
          review,
          version,
          actor: { ref: principalRef(credentials) },
          now: new Date(),
        });
      },
      describe: updated => ({ version: updated.version }),
    });
    res.json(incident);
  });

  router.get(ROUTES.incidentTimeline, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parseParams(idParamsSchema, req.params);
    await visibleIncident(id, credentials);
    res.json({ items: await stores.incidents.getIncidentTimeline(id) });
  });

  // --- reviews ---

  router.get(ROUTES.reviews, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(reviewQuerySchema, req.query);
    res.json(await stores.reviews.listReviews(query));
  });

  router.post(ROUTES.reviews, async (req, res) => {
    const credentials = await credentialsOf(req);
    const review = await audit(req, {
      eventId: 'review-create',
      severityLevel: 'medium',
      run: async () => {
        await authorizer.require(securityReviewCreatePermission, credentials);
        const input = parseBody(reviewInputSchema, req.body);
        return service.createReview({
          input,
          reviewer: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: created => ({
        reviewId: created.id,
        entityRef: created.entityRef,
        outcome: created.outcome,
        nextDueAt: created.nextDueAt,
      }),
    });
    res.status(201).json(review);
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
