export { setupCampaigns } from './setupCampaigns';
