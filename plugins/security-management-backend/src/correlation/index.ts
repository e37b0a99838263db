export { setupCorrelation } from './setupCorrelation';
