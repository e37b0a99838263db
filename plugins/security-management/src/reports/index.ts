export { TestReportCard, TestReportDownload } from './TestReportDownload';
export { ReportDocument, reportHtml } from './ReportDocument';
export { openPrintWindow, showPrintView } from './printView';
export { defaultPeriod, periodProblem, reportQueryOf } from './dates';
