import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityPostureReadPermission,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { principalRef, RouteContext } from '../lib/routing';
import {
  parseBody,
  parseQuery,
  reviewInputSchema,
  reviewQuerySchema,
} from '../service/validation';
import { ReviewService } from './ReviewService';
import { ReviewStore } from './ReviewStore';

/** Security reviews: record one, list them. */
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

  router.get(ROUTES.reviews, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const query = parseQuery(reviewQuerySchema, req.query);
    res.json(await store.listReviews(query));
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
}
