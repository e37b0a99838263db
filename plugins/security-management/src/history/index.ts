export { EntityTrendSection } from './EntityTrendSection';
export { OrganisationTrendCard } from './OrganisationTrendCard';
