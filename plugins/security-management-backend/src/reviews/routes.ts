import {
  securityPostureReadPermission,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { ReviewService } from './ReviewService';
import { ReviewStore } from './ReviewStore';

/** Security reviews: record one, list them, sign their conditions off. */
export function registerReviewRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: ReviewStore;
    service: ReviewService;
  },
): void {
  const { context, store, service } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  handle(router, 'listReviews', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = input.query();
    res.json(await store.listReviews(query));
  });

  handle(router, 'createReview', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const review = await audit(req, {
      eventId: 'review-create',
      severityLevel: 'medium',
      meta: auditTarget(req.body, ['entityRef']),
      run: async () => {
        await authorizer.require(securityReviewCreatePermission, credentials);
        return service.createReview({
          input: input.body(),
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

  handle(router, 'listReviewConditions', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    res.json(await store.listConditions(input.query()));
  });

  // Whoever may record reviews signs their conditions off.
  handle(router, 'updateReviewCondition', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const condition = await audit(req, {
      eventId: 'review-condition-update',
      severityLevel: 'medium',
      meta: { reviewId: req.params.id, position: req.params.position },
      run: async () => {
        // The permission first: a caller who may not sign off learns
        // nothing about the path or body.
        await authorizer.require(securityReviewCreatePermission, credentials);
        const { id, position } = input.params();
        return store.updateCondition({
          reviewId: id,
          position,
          update: input.body(),
          actor: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: updated => ({
        reviewId: updated.reviewId,
        entityRef: updated.entityRef,
        position: updated.position,
        status: updated.status,
      }),
    });
    res.json(condition);
  });
}
