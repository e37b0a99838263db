import { NotFoundError } from '@backstage/errors';
import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { RouteContext } from '../lib/routing';
import {
  parseBody,
  parseQuery,
  postureBatchSchema,
  postureEntityQuerySchema,
  postureListQuerySchema,
  postureRollupQuerySchema,
} from '../service/validation';
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

  router.get(ROUTES.postureEntity, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef } = parseQuery(postureEntityQuerySchema, req.query);
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

  router.post(ROUTES.postureBatch, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRefs } = parseBody(postureBatchSchema, req.body);
    const items = await store.getPostureBatch({
      entityRefs: [...new Set(entityRefs)],
      now: new Date(),
      reviewDueSoon,
    });
    res.json({ items });
  });

  router.get(ROUTES.postureList, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(postureListQuerySchema, req.query);
    res.json(
      await store.listPosture({
        query,
        now: new Date(),
        reviewDueSoon,
      }),
    );
  });

  router.get(ROUTES.postureRollup, async (req, res) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    const { by } = parseQuery(postureRollupQuerySchema, req.query);
    res.json(await store.rollup({ by, now: new Date(), reviewDueSoon }));
  });
}
