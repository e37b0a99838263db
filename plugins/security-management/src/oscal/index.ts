export { OscalExportCard } from './OscalExportCard';
