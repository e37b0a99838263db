export { EntitySecurityAlertBanner } from './EntitySecurityAlertBanner';
export { AlertsTab } from './AlertsTab';
