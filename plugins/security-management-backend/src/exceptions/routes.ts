import {
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
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

  handle(router, 'listExceptions', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = input.query();
    res.json(await store.listExceptions(query));
  });

  handle(router, 'requestException', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const exception = await audit(req, {
      eventId: 'exception-request',
      severityLevel: 'medium',
      meta: auditTarget(req.body, ['controlRef', 'entityRef']),
      run: async () => {
        await authorizer.require(
          securityExceptionRequestPermission,
          credentials,
        );
        return service.requestException({
          input: input.body(),
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

  for (const [operation, decision, eventId] of [
    ['approveException', 'approved', 'exception-approve'],
    ['rejectException', 'rejected', 'exception-reject'],
  ] as const) {
    handle(router, operation, async (req, res, input) => {
      const credentials = await credentialsOf(req);
      const { id } = input.params();
      const exception = await audit(req, {
        eventId,
        severityLevel: 'high',
        meta: { exceptionId: id },
        run: async () => {
          await authorizer.require(
            securityExceptionDecidePermission,
            credentials,
          );
          const { note } = input.body();
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
