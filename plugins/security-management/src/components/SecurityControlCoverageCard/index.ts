export { SecurityControlCoverageCard } from './SecurityControlCoverageCard';
