export { setupReports } from './setupReports';
export type { PoliciesDueForReviewSource } from './ReportBuilder';
