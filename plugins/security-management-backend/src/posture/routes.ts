import { NotFoundError } from '@backstage/errors';
import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { handle, RouteContext } from '../lib/routing';
import { PostureStore } from './PostureStore';

/** The posture of an entity, of a batch, of a filtered list, and roll-ups. */
export function registerPostureRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: PostureStore;
    /** ISO-8601 window before a review's due date that counts as due soon. */
    reviewDueSoon: string;
  },
): void {
  const { context, store, reviewDueSoon } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'getEntityPosture', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef } = input.query();
    const posture = await store.getEntityPosture({
      entityRef,
      now: new Date(),
      reviewDueSoon,
    });
    if (!posture) {
      throw new NotFoundError(
        `No posture for '${entityRef}': it is not in the catalog or no security control applies to it`,
      );
    }
    res.json(posture);
  });

  handle(router, 'getPostureBatch', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRefs } = input.body();
    const items = await store.getPostureBatch({
      entityRefs: [...new Set(entityRefs)],
      now: new Date(),
      reviewDueSoon,
    });
    res.json({ items });
  });

  handle(router, 'listPosture', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = input.query();
    res.json(
      await store.listPosture({
        query,
        now: new Date(),
        reviewDueSoon,
      }),
    );
  });

  handle(router, 'getPostureRollup', async (req, res, input) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    const { by } = input.query();
    res.json(await store.rollup({ by, now: new Date(), reviewDueSoon }));
  });
}
