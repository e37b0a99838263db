import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  securityIncidentReadPermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { CapabilityOptions } from '../lib/capability';
import { handle, principalRef } from '../lib/routing';
import { DatabaseRemediationStore } from './DatabaseRemediationStore';
import { incidentReadAccess, requireIncidentUpdate } from './incidentAccess';
import { IncidentRuleQuery } from './IncidentStore';

/**
 * What post-incident reviews feed back: their remediation actions, listed
 * by entity, owner and due date and moved along by status, and the retests
 * of the controls that failed. The review itself is written by the
 * incident routes (PUT /incidents/:id/review).
 */
export async function setupPostIncidentReviews(
  options: CapabilityOptions,
  deps: { transformConditions: ConditionTransformer<IncidentRuleQuery> },
): Promise<void> {
  const { router, context } = options;
  const { transformConditions } = deps;
  const { authorizer, audit, credentials: credentialsOf } = context;
  const store = await DatabaseRemediationStore.create({
    database: options.database,
  });

  handle(router, 'listRemediationActions', async (req, res, input) => {
    const { filter } = await authorizer.requireResourceAccess({
      permission: securityIncidentReadPermission,
      credentials: await credentialsOf(req),
      transformConditions,
    });
    res.json(await store.listActions({ query: input.query(), filter }));
  });

  handle(router, 'updateRemediationAction', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const action = await audit(req, {
      eventId: 'remediation-action-update',
      severityLevel: 'medium',
      meta: { remediationActionId: id },
      run: async () => {
        await requireIncidentUpdate({
          authorizer,
          credentials,
          transformConditions,
          what: `remediation action '${id}'`,
          find: async filter =>
            (await store.getAction({ id, filter })) !== undefined,
        });
        const { status, note } = input.body();
        return store.setActionStatus({
          id,
          status,
          note,
          actor: { ref: principalRef(credentials) },
          now: new Date(),
        });
      },
      describe: updated => ({
        incidentId: updated.incidentId,
        status: updated.status,
      }),
    });
    res.json(action);
  });

  handle(router, 'listRequiredRetests', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityPostureReadPermission, credentials);
    const { entityRef, owner } = input.query();
    // The pairs are posture; the incidents behind them only for readers.
    const access = await incidentReadAccess({
      authorizer,
      credentials,
      transformConditions,
    });
    const items = await store.listRetests({
      entityRef,
      owner,
      filter: access.allowed ? access.filter : undefined,
      incidentsVisible: access.allowed,
    });
    res.json({ items });
  });
}
