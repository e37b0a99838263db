import { z } from 'zod';
import { alertFilterSchema, alertScopeSchema } from './alerts';
import {
  anyEntityRefSchema,
  controlRefSchema,
  limitSchema,
  offsetSchema,
  oneOf,
  requiredText,
  timestampInputSchema,
  timestampSchema,
} from './contract/validation';

/*
 * Campaigns: a time-bound push that a security manager starts (name, goal,
 * controls and/or advisories, a scope of catalog entities, a deadline). Its
 * progress is computed from the evidence: a control on an entity in scope
 * is done when it passes or has an approved exception (accepted risk is a
 * decision, shown apart); an advisory is done when its finding on the
 * entity is mitigated, not affected or resolved. A campaign ends at its
 * deadline or when a manager closes it, and is archived with its result.
 */

/** Most controls plus advisories one campaign may name. @public */
export const MAX_CAMPAIGN_ITEMS = 100;

/** Most entities one campaign may cover, named or matched. @public */
export const MAX_CAMPAIGN_ENTITIES = 20000;

/** Most entity refs a campaign may name explicitly. @public */
export const MAX_CAMPAIGN_ENTITY_REFS = 500;

/** Whether a campaign runs or has been archived with its result. @public */
export type CampaignStatus = 'active' | 'archived';

/** @public */
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'active',
  'archived',
];

/** What an item of a campaign is about. @public */
export type CampaignItemKind = 'control' | 'advisory';

/** @public */
export const CAMPAIGN_ITEM_KINDS: readonly CampaignItemKind[] = [
  'control',
  'advisory',
];

/** The advisory finding statuses that count as done in a campaign. @public */
export const DONE_ADVISORY_FINDING_STATUSES = [
  'mitigated',
  'not-affected',
  'resolved',
] as const;

/** The control statuses that count as done in a campaign. @public */
export const DONE_CONTROL_STATUSES = ['passing', 'excepted'] as const;

/**
 * Progress over a set of items: `items` (entity × control that applies, or
 * entity × advisory finding), how many are `done`, and how many of those
 * are done by an approved exception rather than a pass.
 *
 * @public
 */
export const campaignProgressSchema = z.strictObject({
  entities: z.number().int(),
  items: z.number().int(),
  done: z.number().int(),
  excepted: z.number().int(),
});
/** @public */
export type CampaignProgress = z.infer<typeof campaignProgressSchema>;

/** Progress of the entities of one owner (none: entities without one). @public */
export const campaignOwnerProgressSchema = campaignProgressSchema.extend({
  owner: z.string().optional(),
});
/** @public */
export type CampaignOwnerProgress = z.infer<typeof campaignOwnerProgressSchema>;

/** How a campaign ended, frozen when it was archived. @public */
export const campaignResultSchema = z.strictObject({
  endedBy: oneOf(['deadline', 'manager'] as const),
  /** Whether every item was done when it ended. */
  met: z.boolean(),
  overall: campaignProgressSchema,
  owners: z.array(campaignOwnerProgressSchema),
});
/** @public */
export type CampaignResult = z.infer<typeof campaignResultSchema>;

/** A campaign, with its overall progress (live, or frozen once archived). @public */
export const campaignSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  goal: z.string(),
  controlRefs: z.array(z.string()),
  advisoryIds: z.array(z.string()),
  scope: alertScopeSchema,
  entityCount: z.number().int(),
  deadline: timestampSchema,
  status: oneOf(CAMPAIGN_STATUSES),
  startedBy: z.string(),
  startedAt: timestampSchema,
  closedBy: z.string().optional(),
  archivedAt: timestampSchema.optional(),
  progress: campaignProgressSchema,
  result: campaignResultSchema.optional(),
});
/** @public */
export type Campaign = z.infer<typeof campaignSchema>;

/** GET /campaigns/:id answer: the campaign and its progress per owner. @public */
export const campaignDetailSchema = z.strictObject({
  campaign: campaignSchema,
  owners: z.array(campaignOwnerProgressSchema),
});
/** @public */
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;

/**
 * POST /campaigns body: what to do (controls, advisories or both), where
 * (named entities, a catalog filter or both) and by when (a future
 * deadline).
 *
 * @public
 */
export const campaignInputSchema = z
  .strictObject({
    name: requiredText(200),
    goal: requiredText(5000),
    controlRefs: z.array(controlRefSchema).max(MAX_CAMPAIGN_ITEMS).optional(),
    advisoryIds: z.array(requiredText(200)).max(MAX_CAMPAIGN_ITEMS).optional(),
    entityRefs: z
      .array(anyEntityRefSchema)
      .min(1)
      .max(MAX_CAMPAIGN_ENTITY_REFS)
      .optional(),
    filter: alertFilterSchema.optional(),
    deadline: timestampInputSchema,
  })
  .refine(input => input.controlRefs?.length || input.advisoryIds?.length, {
    path: ['controlRefs'],
    error: 'name what to do: give controlRefs, advisoryIds, or both',
  })
  .refine(
    input =>
      (input.controlRefs?.length ?? 0) + (input.advisoryIds?.length ?? 0) <=
      MAX_CAMPAIGN_ITEMS,
    {
      path: ['advisoryIds'],
      error: `at most ${MAX_CAMPAIGN_ITEMS} controls and advisories together`,
    },
  )
  .refine(
    input => input.entityRefs !== undefined || input.filter !== undefined,
    {
      path: ['entityRefs'],
      error: 'name the scope: give entityRefs, a catalog filter, or both',
    },
  );
/** POST /campaigns body. @public */
export type CampaignInput = z.input<typeof campaignInputSchema>;

/** GET /campaigns query. @public */
export const campaignQuerySchema = z.object({
  limit: limitSchema,
  offset: offsetSchema,
  /** Defaults to `active`. */
  status: oneOf(CAMPAIGN_STATUSES).default('active'),
});
/** GET /campaigns query. @public */
export type CampaignQuery = z.input<typeof campaignQuerySchema>;

/** GET /campaigns answer: active ones by deadline, archived newest first. @public */
export const campaignPageSchema = z.strictObject({
  items: z.array(campaignSchema),
  totalCount: z.number().int(),
});
/** @public */
export type CampaignPage = z.infer<typeof campaignPageSchema>;

/** One item of a campaign on one entity, and whether it is done. @public */
export const campaignEntityItemSchema = z.strictObject({
  kind: oneOf(CAMPAIGN_ITEM_KINDS),
  /** The control ref or the advisory id. */
  ref: z.string(),
  title: z.string(),
  /** The control status, or the advisory finding status. */
  status: z.string(),
  done: z.boolean(),
});
/** @public */
export type CampaignEntityItem = z.infer<typeof campaignEntityItemSchema>;

/** GET /entities/campaigns query. @public */
export const entityCampaignsQuerySchema = z.object({
  entityRef: anyEntityRefSchema,
});
/** @public */
export type EntityCampaignsQuery = z.input<typeof entityCampaignsQuerySchema>;

/**
 * GET /entities/campaigns answer: the active campaigns whose scope holds an
 * entity, by deadline, each with the entity's items.
 *
 * @public
 */
export const entityCampaignsSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      goal: z.string(),
      deadline: timestampSchema,
      items: z.array(campaignEntityItemSchema),
    }),
  ),
});
/** @public */
export type EntityCampaigns = z.infer<typeof entityCampaignsSchema>;
