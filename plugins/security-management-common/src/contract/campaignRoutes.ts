import { idParamsSchema } from '../api';
import {
  campaignDetailSchema,
  campaignInputSchema,
  campaignPageSchema,
  campaignQuerySchema,
  campaignSchema,
  entityCampaignsQuerySchema,
  entityCampaignsSchema,
} from '../campaigns';
import {
  securityCampaignManagePermission,
  securityPostureReadPermission,
} from '../permissions';
import { RouteContract } from './routeContract';

/**
 * Campaigns: time-bound pushes on controls and advisories over a scope of
 * entities, with their progress. Part of the one route table,
 * `securityManagementRoutes`.
 */
export const campaignRoutes = {
  startCampaign: {
    method: 'post',
    path: '/campaigns',
    tag: 'Campaigns',
    summary: 'Start a campaign',
    description:
      'The scope is resolved from the catalog now and kept: named `entityRefs` must exist and a `filter` must match at least one entity. Controls must be in the control library, advisories known to a feed, and the deadline in the future. Owners of the entities in scope are notified.',
    permission: securityCampaignManagePermission.name,
    body: campaignInputSchema,
    responses: { 201: campaignSchema },
    errors: [413],
  },
  listCampaigns: {
    method: 'get',
    path: '/campaigns',
    tag: 'Campaigns',
    summary: 'Active campaigns by deadline, or archived ones newest first',
    description:
      'Each with its overall progress: computed now while active, as frozen when archived.',
    permission: securityPostureReadPermission.name,
    query: campaignQuerySchema,
    responses: { 200: campaignPageSchema },
  },
  getCampaign: {
    method: 'get',
    path: '/campaigns/:id',
    tag: 'Campaigns',
    summary: 'A campaign with its progress per owner',
    permission: securityPostureReadPermission.name,
    params: idParamsSchema,
    responses: { 200: campaignDetailSchema },
    errors: [404],
  },
  closeCampaign: {
    method: 'post',
    path: '/campaigns/:id/close',
    tag: 'Campaigns',
    summary: 'Close a campaign before its deadline and archive its result',
    description: 'An archived campaign cannot be closed again (409).',
    permission: securityCampaignManagePermission.name,
    params: idParamsSchema,
    responses: { 200: campaignSchema },
    errors: [404, 409],
  },
  listEntityCampaigns: {
    method: 'get',
    path: '/entities/campaigns',
    tag: 'Campaigns',
    summary: 'The active campaigns covering one entity, with its items',
    permission: securityPostureReadPermission.name,
    query: entityCampaignsQuerySchema,
    responses: { 200: entityCampaignsSchema },
  },
} as const satisfies Record<string, RouteContract>;
