export { FrameworksTab } from './FrameworksTab';
export { StatementOfApplicabilityCard } from './StatementOfApplicabilityCard';
