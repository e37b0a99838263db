export { AdvisoriesTab } from './AdvisoriesTab';
export { EntityAdvisoriesSection } from './EntityAdvisoriesSection';
