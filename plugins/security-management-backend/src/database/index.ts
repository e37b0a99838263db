export { createSecurityStores } from './SecurityStores';
export type { SecurityStores } from './SecurityStores';
