export { securityManagementApiRef } from './SecurityManagementApi';
export type { SecurityManagementApi } from './SecurityManagementApi';
export { SecurityManagementClient } from './SecurityManagementClient';
