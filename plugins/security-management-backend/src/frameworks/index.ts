export { setupFrameworks } from './setupFrameworks';
export type { FrameworkStore } from './FrameworkStore';
