export { setupCampaigns } from './setupCampaigns';
export type { CampaignNotifier } from './CampaignNotifier';
