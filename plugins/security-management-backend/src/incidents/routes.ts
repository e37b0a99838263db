import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  Incident,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { requireIncidentUpdate as requireUpdate } from './incidentAccess';
import { IncidentService } from './IncidentService';
import { IncidentRuleQuery, IncidentStore } from './IncidentStore';

/**
 * Incidents: report, list, read, update, move through the lifecycle,
 * review and read the timeline. Reads and changes are filtered by
 * conditional permission decisions.
 */
export function registerIncidentRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: IncidentStore;
    service: IncidentService;
    /** Turns conditional incident decisions into store filters. */
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
  },
): void {
  const { context, store, service, transformConditions } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  async function visibleIncident(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const { filter } = await authorizer.requireResourceAccess({
      permission: securityIncidentReadPermission,
      credentials,
      transformConditions,
    });
    const incident = await store.getIncident({ id, filter });
    if (!incident) throw new NotFoundError(`No incident with id '${id}'`);
    return incident;
  }

  function requireIncidentUpdate(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    return requireUpdate({
      authorizer,
      credentials,
      transformConditions,
      what: `incident with id '${id}'`,
      find: async filter =>
        (await store.getIncident({ id, filter })) !== undefined,
    });
  }

  handle(router, 'listIncidents', async (req, res, input) => {
    const { filter } = await authorizer.requireResourceAccess({
      permission: securityIncidentReadPermission,
      credentials: await credentialsOf(req),
      transformConditions,
    });
    const query = input.query();
    res.json(await store.listIncidents({ query, filter }));
  });

  handle(router, 'createIncident', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const incident = await audit(req, {
      eventId: 'incident-create',
      severityLevel: 'medium',
      meta: auditTarget(req.body, ['affectedEntities', 'failedControls']),
      run: async () => {
        await authorizer.require(securityIncidentCreatePermission, credentials);
        return service.createIncident({
          input: input.body(),
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

  handle(router, 'getIncident', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    res.json(await visibleIncident(id, credentials));
  });

  handle(router, 'updateIncident', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const incident = await audit(req, {
      eventId: 'incident-update',
      severityLevel: 'medium',
      meta: { incidentId: id },
      run: async () => {
        await requireIncidentUpdate(id, credentials);
        const patch = input.body();
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

  handle(router, 'transitionIncident', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const incident = await audit(req, {
      eventId: 'incident-transition',
      severityLevel: 'medium',
      meta: { incidentId: id },
      run: async () => {
        await requireIncidentUpdate(id, credentials);
        const transition = input.body();
        return store.transitionIncident({
          id,
          ...transition,
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

  handle(router, 'setIncidentReview', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const incident = await audit(req, {
      eventId: 'incident-review',
      severityLevel: 'medium',
      meta: { incidentId: id },
      run: async () => {
        await requireIncidentUpdate(id, credentials);
        const { version, ...review } = input.body();
        return service.setIncidentReview({
          id,
          review,
          version,
          actor: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: updated => ({
        version: updated.version,
        failedControls: updated.failedControls,
        remediationActions: updated.review?.remediationActions.length ?? 0,
      }),
    });
    res.json(incident);
  });

  handle(router, 'getIncidentTimeline', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    await visibleIncident(id, credentials);
    res.json({ items: await store.getIncidentTimeline(id) });
  });
}
