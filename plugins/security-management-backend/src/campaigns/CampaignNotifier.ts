/**
 * What campaigns need to tell the owners of entities: one notice, sent to
 * the owners of the named entities, under a topic users can mute. The
 * notifications capability provides it; `dedupeKey` names the notice so
 * that a retry never sends it twice.
 */
export interface CampaignNotifier {
  notifyOwners(options: {
    entityRefs: string[];
    topic: string;
    title: string;
    description: string;
    link: string;
    dedupeKey: string;
  }): Promise<unknown>;
}

/** The notification topic of campaigns. */
export const CAMPAIGN_NOTIFICATION_TOPIC = 'campaigns';
