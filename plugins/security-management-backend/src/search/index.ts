export { searchModuleSecurityManagement } from './module';
export {
  SecurityControlCollatorFactory,
  SecurityIncidentCollatorFactory,
  SecurityPolicyCollatorFactory,
} from './collators';
export type {
  SecurityControlDocument,
  SecurityIncidentDocument,
  SecurityPolicyDocument,
} from './collators';
