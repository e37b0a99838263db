import { NotFoundError } from '@backstage/errors';
import {
  securityCampaignManagePermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { auditTarget } from '../lib/audit';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { auditedCampaign, CampaignService } from './CampaignService';
import { CampaignStore } from './CampaignStore';

/** Campaigns: start and close one, list them, one with its owners, an entity's. */
export function registerCampaignRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: CampaignStore;
    service: CampaignService;
  },
): void {
  const { context, store, service } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  handle(router, 'listCampaigns', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    res.json(await store.listCampaigns({ ...input.query(), now: new Date() }));
  });

  handle(router, 'getCampaign', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { id } = input.params();
    const detail = await store.getCampaign(id, new Date());
    if (!detail) throw new NotFoundError(`No campaign with id '${id}'`);
    res.json(detail);
  });

  handle(router, 'listEntityCampaigns', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef } = input.query();
    res.json(await store.listEntityCampaigns(entityRef, new Date()));
  });

  handle(router, 'startCampaign', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const campaign = await audit(req, {
      eventId: 'campaign-start',
      severityLevel: 'medium',
      meta: auditTarget(req.body, [
        'name',
        'controlRefs',
        'advisoryIds',
        'entityRefs',
        'deadline',
      ]),
      run: async () => {
        await authorizer.require(securityCampaignManagePermission, credentials);
        return service.startCampaign({
          input: input.body(),
          startedBy: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: auditedCampaign,
    });
    res.status(201).json(campaign);
  });

  handle(router, 'closeCampaign', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const { id } = input.params();
    const campaign = await audit(req, {
      eventId: 'campaign-close',
      severityLevel: 'medium',
      meta: { campaignId: id },
      run: async () => {
        await authorizer.require(securityCampaignManagePermission, credentials);
        return service.closeCampaign({
          id,
          closedBy: principalRef(credentials),
          now: new Date(),
        });
      },
      describe: auditedCampaign,
    });
    res.json(campaign);
  });
}
