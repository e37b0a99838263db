import { Entity } from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import {
  RELATION_HAS_SECURITY_CONTROL,
  securityPostureReadPermission,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
  testCatalog,
} from '../__testUtils__/securityBackend';

const base = '/api/security-management';
const FRAUD = 'component:default/fraud-scoring';

jest.setTimeout(30_000);

/**
 * The example service fraud-scoring as examples/entities.yaml declares it
 * (experimental, in shadow mode), with the control relation the catalog
 * module would give it.
 */
function exampleService(): Entity {
  const file = path.resolve(__dirname, '../../../../examples/entities.yaml');
  for (const result of parseEntityYaml(fs.readFileSync(file), {
    type: 'file',
    target: file,
  })) {
    if (
      result.type === 'entity' &&
      result.entity.metadata.name === 'fraud-scoring'
    ) {
      const entity = result.entity;
      entity.metadata.namespace ??= 'default';
      entity.relations = [
        { type: RELATION_HAS_SECURITY_CONTROL, targetRef: refs.tls },
      ];
      return entity;
    }
  }
  throw new Error('fraud-scoring is not in examples/entities.yaml');
}

describe('reviews that notice change, through the plugin', () => {
  it("flips the example service's review to review required when its lifecycle changes", async () => {
    const fraud = exampleService();
    expect(fraud.spec?.lifecycle).toBe('experimental');
    const ctx = await startSecurityBackend({
      entities: [...testCatalog(), fraud],
    });
    try {
      setPermissions(
        ctx.permissions,
        allow(
          securityPostureReadPermission.name,
          securityReviewCreatePermission.name,
        ),
      );
      const reviewed = await request(ctx.server)
        .post(`${base}/reviews`)
        .set(as.user('ciso'))
        .send({
          entityRef: FRAUD,
          outcome: 'approved',
          findings: 'Shadow mode only: scores do not block payments.',
          reviewedAt: new Date(Date.now() - 60_000).toISOString(),
        });
      expect(reviewed.status).toBe(201);
      const postureOf = () =>
        request(ctx.server)
          .get(`${base}/posture/entity`)
          .query({ entityRef: FRAUD })
          .set(as.user());

      const before = await postureOf();
      expect(before.status).toBe(200);
      expect(before.body.review.status).toBe('current');
      expect(before.body.review.reasons).toBeUndefined();

      // The service goes live: the catalog now says production.
      fraud.spec!.lifecycle = 'production';
      await ctx.scheduler.triggerTask('security-management-catalog-sync');

      const after = await postureOf();
      expect(after.body.review).toMatchObject({
        status: 'review-required',
        reasons: [
          {
            trigger: 'lifecycle-production',
            detail: 'lifecycle experimental → production',
            seenAt: expect.any(String),
          },
        ],
      });

      const schedule = await request(ctx.server)
        .get(`${base}/schedule`)
        .set(as.user());
      expect(
        schedule.body.reviews.find(
          (review: { entityRef: string }) => review.entityRef === FRAUD,
        ),
      ).toMatchObject({
        state: 'review-required',
        reasons: after.body.review.reasons,
      });

      // A new review, recorded after the change, clears the requirement.
      const again = await request(ctx.server)
        .post(`${base}/reviews`)
        .set(as.user('ciso'))
        .send({
          entityRef: FRAUD,
          outcome: 'approved',
          findings: 'Blocking mode reviewed.',
        });
      expect(again.status).toBe(201);
      const cleared = await postureOf();
      expect(cleared.body.review.status).toBe('current');
      expect(cleared.body.review.reasons).toBeUndefined();
    } finally {
      await ctx.backend.stop();
    }
  });
});
