import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { principalRef, RouteContext } from '../lib/routing';
import {
  exceptionDecisionSchema,
  exceptionInputSchema,
  exceptionQuerySchema,
  idParamsSchema,
  parseBody,
  parseParams,
  parseQuery,
} from '../service/validation';
import { ExceptionService } from './ExceptionService';
import { ExceptionStore } from './ExceptionStore';

/** Exceptions: request one, list them, approve or reject a request. */
export function registerExceptionRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: ExceptionStore;
    service: ExceptionService;
  },
): void {
  const { context, store, service } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  router.get(ROUTES.exceptions, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(exceptionQuerySchema, req.query);
    res.json(await store.listExceptions(query));
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
}
