import { StatementOfApplicability } from '@open-itsm/plugin-security-management-common';

const COLUMNS = [
  'framework',
  'requirement',
  'id',
  'title',
  'family',
  'applicable',
  'status',
  'justification',
  'controls',
  'lastTestedAt',
  'evidence',
] as const;

function csvCell(value: string | undefined): string {
  if (value === undefined) return '';
  let text = value;
  // Spreadsheets run cells that start like a formula; titles and
  // justifications are user input, so neutralise them.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A Statement of Applicability as CSV: one row per requirement after a
 * header row. `controls` lists each satisfying control that applies with
 * its status (`Access review: passing`), `lastTestedAt` is the latest test
 * of those controls, `evidence` their latest evidence URLs.
 */
export function soaToCsv(soa: StatementOfApplicability): string {
  const rows = soa.requirements.map(requirement => {
    const applying = requirement.controls.filter(control => control.applies);
    const lastTestedAt = applying
      .flatMap(control => (control.lastTestedAt ? [control.lastTestedAt] : []))
      .sort()
      .pop();
    return [
      soa.framework,
      requirement.label,
      requirement.controlId,
      requirement.title,
      requirement.family,
      requirement.applicable ? 'yes' : 'no',
      requirement.status,
      requirement.justification,
      applying.map(control => `${control.title}: ${control.status}`).join('; '),
      lastTestedAt,
      applying
        .flatMap(control => (control.evidenceUrl ? [control.evidenceUrl] : []))
        .join(' '),
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
