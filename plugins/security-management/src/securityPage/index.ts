export {
  SecurityManagementPage,
  SecurityManagementTabs,
} from './SecurityManagementPage';
