import { NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { incidentReadAccess } from '../incidents/incidentAccess';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { handle, RouteContext } from '../lib/routing';
import { PostureStore } from './PostureStore';

/**
 * The posture of an entity, of a batch, of a filtered list, and roll-ups,
 * each with the open incidents the caller may read beside it.
 */
export function registerPostureRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: PostureStore;
    /** ISO-8601 window before a review's due date that counts as due soon. */
    reviewDueSoon: string;
    /** Turns conditional incident decisions into store filters. */
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
  },
): void {
  const { context, store, reviewDueSoon, transformConditions } = options;
  const { authorizer, credentials: credentialsOf } = context;

  /**
   * Checks the permission the route needs and, side by side, which
   * incidents the caller may count; a denial of the latter only leaves the
   * counts out.
   */
  async function access(req: express.Request, permission: BasicPermission) {
    const credentials = await credentialsOf(req);
    const [, incidents] = await Promise.all([
      authorizer.require(permission, credentials),
      incidentReadAccess({ authorizer, credentials, transformConditions }),
    ]);
    return incidents;
  }

  handle(router, 'getEntityPosture', async (req, res, input) => {
    const incidentAccess = await access(req, securityPostureReadPermission);
    const { entityRef } = input.query();
    const posture = await store.getEntityPosture({
      entityRef,
      now: new Date(),
      reviewDueSoon,
      incidentAccess,
    });
    if (!posture) {
      throw new NotFoundError(
        `No posture for '${entityRef}': it is not in the catalog or no security control applies to it`,
      );
    }
    res.json(posture);
  });

  handle(router, 'getPostureBatch', async (req, res, input) => {
    const incidentAccess = await access(req, securityPostureReadPermission);
    const { entityRefs } = input.body();
    const items = await store.getPostureBatch({
      entityRefs: [...new Set(entityRefs)],
      now: new Date(),
      reviewDueSoon,
      incidentAccess,
    });
    res.json({ items });
  });

  handle(router, 'listPosture', async (req, res, input) => {
    const incidentAccess = await access(req, securityPostureReadPermission);
    const query = input.query();
    res.json(
      await store.listPosture({
        query,
        now: new Date(),
        reviewDueSoon,
        incidentAccess,
      }),
    );
  });

  handle(router, 'getPostureRollup', async (req, res, input) => {
    const incidentAccess = await access(req, securityReportReadPermission);
    const { by } = input.query();
    res.json(
      await store.rollup({
        by,
        now: new Date(),
        reviewDueSoon,
        incidentAccess,
      }),
    );
  });
}
