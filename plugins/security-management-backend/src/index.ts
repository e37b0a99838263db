export { securityManagementPlugin as default } from './plugin';
