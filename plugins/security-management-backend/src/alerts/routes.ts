import {
  securityAlertManagePermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { AlertService, auditedAlert, raiseAuditSeverity } from './AlertService';
import { AlertStore } from './AlertStore';

/** Alerts: raise one, list them, resolve one, and an entity's active alerts. */
export function registerAlertRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: AlertStore;
    service: AlertService;
  },
): void {
  const { context, store, service } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  handle(router, 'listAlerts', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    res.json(await store.listAlerts(input.query()));
  });

  handle(router, 'listEntityAlerts', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef } = input.query();
    res.json({ items: await store.listEntityAlerts(entityRef) });
  });

  handle(router, 'raiseAlert', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const alert = await audit(req, {
      eventId: 'alert-raise',
      severityLevel: raiseAuditSeverity(req.body?.severity),
      meta: auditTarget(req.body, ['title', 'severity', 'entityRefs']),
      run: async () => {
        await authorizer.require(securityAlertManagePermission, credentials);
        return service.raiseAlert({
          input: input.body(),
          raisedBy: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: auditedAlert,
    });
    res.status(201).json(alert);
  });

  handle(router, 'resolveAlert', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const alert = await audit(req, {
      eventId: 'alert-resolve',
      severityLevel: 'medium',
      meta: { alertId: id },
      run: async () => {
        await authorizer.require(securityAlertManagePermission, credentials);
        const { resolution } = input.body();
        return service.resolveAlert({
          id,
          resolution,
          resolvedBy: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: auditedAlert,
    });
    res.json(alert);
  });
}
