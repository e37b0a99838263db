import {
  AlertScope,
  Campaign,
  CampaignDetail,
  CampaignPage,
  CampaignResult,
  CampaignStatus,
  EntityCampaigns,
} from '@open-itsm/plugin-security-management-common';

/** A campaign to store, with its scope already resolved to entities. */
export interface NewCampaign {
  name: string;
  goal: string;
  /** Control refs, each once. */
  controlRefs: string[];
  /** Advisory ids, each once. */
  advisoryIds: string[];
  scope: AlertScope;
  /** Full, lower-case entity refs, each once. */
  entityRefs: string[];
  deadline: string;
  startedBy: string;
}

/** A notice to the owners of a campaign's entities; each is sent once. */
export type CampaignNotice = 'started' | 'due-soon' | 'missed';

/**
 * Campaigns, their items and scope, their progress (computed in SQL from the
 * test records, exceptions and advisory findings) and the notices sent.
 * Reads compute status as at `now`.
 */
export interface CampaignStore {
  /** Stores a campaign with its items and entities in one transaction. */
  createCampaign(options: {
    campaign: NewCampaign;
    now: Date;
  }): Promise<Campaign>;
  listCampaigns(options: {
    status: CampaignStatus;
    limit: number;
    offset: number;
    now: Date;
  }): Promise<CampaignPage>;
  getCampaign(id: string, now: Date): Promise<CampaignDetail | undefined>;
  /**
   * Freezes the progress at now as the campaign's result and archives it.
   * Throws NotFoundError for an unknown id and ConflictError once archived
   * (of two replicas archiving at once, one wins).
   */
  archiveCampaign(options: {
    id: string;
    endedBy: CampaignResult['endedBy'];
    closedBy?: string;
    now: Date;
  }): Promise<Campaign>;
  /** Ids of the active campaigns whose deadline is at or before now. */
  listEndedCampaigns(now: Date): Promise<string[]>;
  /**
   * The notices due at now that were not sent: `started` for every
   * campaign, `due-soon` for an active campaign whose deadline is within
   * `dueSoonMs`, `missed` for one archived at its deadline unmet.
   */
  listPendingNotices(options: {
    now: Date;
    dueSoonMs: number;
  }): Promise<Array<{ campaignId: string; notice: CampaignNotice }>>;
  /** Whether this caller claimed the notice (false: already claimed). */
  claimNotice(options: {
    campaignId: string;
    notice: CampaignNotice;
    now: Date;
  }): Promise<boolean>;
  /** Gives back a claim whose notice could not be sent. */
  releaseNotice(options: {
    campaignId: string;
    notice: CampaignNotice;
  }): Promise<void>;
  /**
   * The entities in scope that have items of the campaign, or with
   * `undoneOnly` those with at least one item not done at now.
   */
  listItemEntities(options: {
    campaignId: string;
    undoneOnly: boolean;
    now: Date;
  }): Promise<string[]>;
  /** The active campaigns covering an entity, with its items at now. */
  listEntityCampaigns(entityRef: string, now: Date): Promise<EntityCampaigns>;
  /** Of these control refs, those not in the control library. */
  unknownControls(controlRefs: string[]): Promise<string[]>;
  /** Of these advisory ids, those no feed holds. */
  unknownAdvisories(advisoryIds: string[]): Promise<string[]>;
}
