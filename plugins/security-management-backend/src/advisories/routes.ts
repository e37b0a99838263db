import {
  securityAdvisoryManagePermission,
  securityAdvisoryUpdatePermission,
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { AdvisoryFeedStore } from './AdvisoryFeedStore';
import { AdvisoryFindingStore } from './AdvisoryFindingStore';
import { AdvisoryService } from './AdvisoryService';

/** Advisories: findings across the organisation and per entity, feeds. */
export function registerAdvisoryRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    feeds: AdvisoryFeedStore;
    findings: AdvisoryFindingStore;
    service: AdvisoryService;
  },
): void {
  const { context, feeds, findings, service } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  handle(router, 'listAdvisoryFindings', async (req, res, input) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    res.json(await findings.listFindings(input.query(), new Date()));
  });

  handle(router, 'getEntityAdvisories', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef, all } = input.query();
    res.json(
      await service.getEntityAdvisories({
        entityRef,
        all: all ?? false,
        now: new Date(),
      }),
    );
  });

  handle(router, 'transitionAdvisoryFinding', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const finding = await audit(req, {
      eventId: 'advisory-finding-transition',
      severityLevel: 'medium',
      meta: { findingId: id },
      run: async () => {
        await authorizer.require(securityAdvisoryUpdatePermission, credentials);
        return findings.transitionFinding({
          id,
          transition: input.body(),
          actor: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: changed => ({
        entityRef: changed.entityRef,
        advisoryId: changed.advisory.id,
        status: changed.status,
        justification: changed.justification,
      }),
    });
    res.json(finding);
  });

  handle(router, 'refreshEntityAdvisories', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const answer = await audit(req, {
      eventId: 'advisory-entity-refresh',
      severityLevel: 'medium',
      meta: auditTarget(req.body, ['entityRef']),
      run: async () => {
        await authorizer.require(securityAdvisoryUpdatePermission, credentials);
        const { entityRef } = input.body();
        const now = new Date();
        await service.refreshEntity(entityRef, now);
        return service.getEntityAdvisories({ entityRef, all: false, now });
      },
      describe: result => ({
        findings: result.counts.total,
        sources: result.sources.map(
          source => `${source.kind}:${source.status}`,
        ),
      }),
    });
    res.json(answer);
  });

  handle(router, 'getAdvisoryFeeds', async (req, res) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    res.json({
      feeds: await feeds.listFeeds(),
      componentErrors: await findings.listSourceErrors(),
    });
  });

  handle(router, 'refreshAdvisories', async (req, res) => {
    const credentials = await credentialsOf(req);
    const result = await audit(req, {
      eventId: 'advisory-refresh',
      severityLevel: 'medium',
      meta: { trigger: 'request' },
      run: async () => {
        await authorizer.require(securityAdvisoryManagePermission, credentials);
        return service.refreshAll();
      },
      describe: refreshed => ({
        feeds: refreshed.feeds.map(feed => `${feed.id}:${feed.status}`),
        entitiesMatched: refreshed.entitiesMatched,
        findingsOpened: refreshed.findingsOpened,
        findingsResolved: refreshed.findingsResolved,
      }),
    });
    res.json(result);
  });
}
