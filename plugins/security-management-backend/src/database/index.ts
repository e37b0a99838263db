export { DatabaseSecurityStore } from './DatabaseSecurityStore';
export type {
  Actor,
  IncidentFilter,
  IncidentRuleQuery,
  SecurityStore,
  StoredEntity,
} from './SecurityStore';
