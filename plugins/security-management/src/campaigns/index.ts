export { CampaignsTab } from './CampaignsTab';
export { EntityCampaignsSection } from './EntityCampaignsSection';
