export { setupAlerts } from './setupAlerts';
export { AlertService } from './AlertService';
export type { RuleAlertInput } from './AlertService';
