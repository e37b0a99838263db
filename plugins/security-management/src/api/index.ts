export { securityManagementApiRef } from './SecurityManagementApi';
export type {
  ControlList,
  SecurityManagementApi,
} from './SecurityManagementApi';
export { SecurityManagementClient } from './SecurityManagementClient';
