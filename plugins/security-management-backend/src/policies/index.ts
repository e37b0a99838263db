export { setupPolicies } from './setupPolicies';
export type { PolicyStore } from './PolicyStore';
