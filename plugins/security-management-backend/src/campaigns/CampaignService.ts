import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, toError } from '@backstage/errors';
import {
  AlertFilter,
  Campaign,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { inputError } from '../lib/inputProblems';
import { OwnerNotifier } from '../notifications/OwnerNotifier';
import { CampaignScope } from './CampaignScope';
import { CampaignNotice, CampaignStore } from './CampaignStore';

/** Owners are reminded this long before the deadline. */
const CAMPAIGN_DUE_SOON_MS = 7 * 24 * 3600_000;

/** Where a notice links to: the campaigns tab of the security page. */
const CAMPAIGNS_LINK = '/security-management/campaigns';

/** What an audit event names about a campaign. */
export function auditedCampaign(campaign: Campaign) {
  return {
    campaignId: campaign.id,
    name: campaign.name.slice(0, 300),
    entityCount: campaign.entityCount,
    deadline: campaign.deadline,
    status: campaign.status,
  };
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Campaigns: started by a manager over a scope resolved from the catalog,
 * ended at the deadline (by the scheduled transitions) or by a manager,
 * and archived with the result. Owners are told at the start, a week
 * before the deadline and when it is missed, each notice once across
 * replicas (a row claimed in the database before it is sent).
 */
export class CampaignService {
  readonly #store: CampaignStore;
  readonly #scope: Pick<CampaignScope, 'resolve'>;
  readonly #notifier?: OwnerNotifier;
  readonly #logger: LoggerService;

  constructor(options: {
    store: CampaignStore;
    scope: Pick<CampaignScope, 'resolve'>;
    /** Without one, notices wait (unclaimed) until one is given. */
    notifier?: OwnerNotifier;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#scope = options.scope;
    this.#notifier = options.notifier;
    this.#logger = options.logger;
  }

  /** Starts a campaign; every problem of the input is one 400. The caller audits it. */
  async startCampaign(options: {
    input: {
      name: string;
      goal: string;
      controlRefs?: string[];
      advisoryIds?: string[];
      entityRefs?: string[];
      filter?: AlertFilter;
      deadline: string;
    };
    startedBy: string;
    now: Date;
  }): Promise<Campaign> {
    const { input, startedBy, now } = options;
    const controlRefs = [...new Set(input.controlRefs ?? [])];
    const advisoryIds = [...new Set(input.advisoryIds ?? [])];
    const problems: string[] = [];
    if (toMillis(input.deadline) <= now.getTime()) {
      problems.push(`deadline: ${input.deadline} must be in the future`);
    }
    const [unknownControls, unknownAdvisories, scope] = await Promise.all([
      this.#store.unknownControls(controlRefs),
      this.#store.unknownAdvisories(advisoryIds),
      this.#scope.resolve({
        entityRefs: input.entityRefs,
        filter: input.filter,
      }),
    ]);
    if (unknownControls.length) {
      problems.push(
        `controlRefs: not in the control library: ${unknownControls.join(
          ', ',
        )}`,
      );
    }
    if (unknownAdvisories.length) {
      problems.push(
        `advisoryIds: not held by any advisory feed: ${unknownAdvisories.join(
          ', ',
        )}`,
      );
    }
    problems.push(...scope.problems);
    if (problems.length) throw inputError(problems);

    const campaign = await this.#store.createCampaign({
      campaign: {
        name: input.name,
        goal: input.goal,
        controlRefs,
        advisoryIds,
        scope: {
          ...(input.entityRefs
            ? { entityRefs: [...new Set(input.entityRefs)] }
            : {}),
          ...(input.filter ? { filter: input.filter } : {}),
        },
        entityRefs: scope.entityRefs,
        deadline: input.deadline,
        startedBy,
      },
      now,
    });
    // Told now rather than at the next scheduled run; the claim keeps it once.
    await this.#send({ campaignId: campaign.id, notice: 'started', now });
    return campaign;
  }

  /** Ends a campaign now and archives its result. The caller audits it. */
  closeCampaign(options: {
    id: string;
    closedBy: string;
    now: Date;
  }): Promise<Campaign> {
    return this.#store.archiveCampaign({
      id: options.id,
      endedBy: 'manager',
      closedBy: options.closedBy,
      now: options.now,
    });
  }

  /**
   * The scheduled work: archives every campaign past its deadline, then
   * sends the notices due. Safe on several replicas at once.
   */
  async runTransitions(now: Date): Promise<{
    archived: string[];
    notices: number;
  }> {
    const archived: string[] = [];
    for (const id of await this.#store.listEndedCampaigns(now)) {
      try {
        await this.#store.archiveCampaign({ id, endedBy: 'deadline', now });
        archived.push(id);
      } catch (error) {
        // Another replica archived it first.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    let notices = 0;
    if (this.#notifier) {
      const pending = await this.#store.listPendingNotices({
        now,
        dueSoonMs: CAMPAIGN_DUE_SOON_MS,
      });
      for (const { campaignId, notice } of pending) {
        if (await this.#send({ campaignId, notice, now })) notices += 1;
      }
    }
    return { archived, notices };
  }

  /** Claims, composes and sends one notice; false when not sent. */
  async #send(options: {
    campaignId: string;
    notice: CampaignNotice;
    now: Date;
  }): Promise<boolean> {
    const notifier = this.#notifier;
    if (!notifier) return false;
    const { campaignId, notice, now } = options;
    if (!(await this.#store.claimNotice({ campaignId, notice, now }))) {
      return false;
    }
    try {
      const detail = await this.#store.getCampaign(campaignId, now);
      if (!detail) return false;
      const { campaign } = detail;
      const entityRefs = await this.#store.listItemEntities({
        campaignId,
        undoneOnly: notice !== 'started',
        now,
      });
      if (entityRefs.length === 0) return false;
      const texts: Record<CampaignNotice, { title: string; lead: string }> = {
        started: {
          title: `Security campaign started: ${campaign.name}`,
          lead: `Due ${day(campaign.deadline)}.`,
        },
        'due-soon': {
          title: `Security campaign due in a week: ${campaign.name}`,
          lead: `Due ${day(
            campaign.deadline,
          )}; your entities still have items to do.`,
        },
        missed: {
          title: `Security campaign missed: ${campaign.name}`,
          lead: `The deadline ${day(
            campaign.deadline,
          )} passed with items of your entities not done.`,
        },
      };
      const sent = await notifier.notifyOwners({
        entityRefs,
        topic: 'campaigns',
        title: texts[notice].title,
        description: `${texts[notice].lead} ${campaign.goal}`.slice(0, 1000),
        link: CAMPAIGNS_LINK,
        dedupeKey: `campaign:${campaignId}:${notice}`,
      });
      if (sent.failed.length > 0) {
        // The notifier's ledger keeps the owners already told from a second
        // notice: the next run sends it to those it failed for.
        throw new Error(`not sent to ${sent.failed.join(', ')}`);
      }
      return true;
    } catch (error) {
      // Given back, so the next run tries again.
      await this.#store.releaseNotice({ campaignId, notice });
      this.#logger.warn(
        `Campaign ${campaignId}: the ${notice} notice could not be sent`,
        toError(error),
      );
      return false;
    }
  }
}
