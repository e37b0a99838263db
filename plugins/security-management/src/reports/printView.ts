import { SecurityReport } from '@open-itsm/plugin-security-management-common';
import { PRINT_BUTTON_ID, reportHtml } from './ReportDocument';

/**
 * Opens an empty window for the print view. Call it in the click handler
 * itself: a window opened later, once the report has loaded, is what
 * pop-up blockers block.
 */
export function openPrintWindow(): Window | null {
  const view = window.open('', '_blank');
  view?.document.write(
    '<p style="font-family: sans-serif">Preparing the IT security report…</p>',
  );
  return view;
}

/**
 * Writes the report into the print view and opens the print dialog. The
 * view's own Print button is wired from here: the app's content security
 * policy runs no inline script in it.
 */
export function showPrintView(view: Window, report: SecurityReport): void {
  const { document } = view;
  document.open();
  document.write(reportHtml(report));
  document.close();
  const print = () => {
    view.focus();
    view.print();
  };
  document.getElementById(PRINT_BUTTON_ID)?.addEventListener('click', print);
  print();
}
