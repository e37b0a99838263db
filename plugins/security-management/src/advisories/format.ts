import {
  Advisory,
  AdvisoryFinding,
  AdvisoryFindingStatus,
  AdvisoryMatch,
  ComponentSource,
  VexJustification,
} from '@open-itsm/plugin-security-management-common';
import { formatDate } from '../lib/format';

/** CISA's VEX justifications in words. */
export const VEX_JUSTIFICATION_LABELS: Record<VexJustification, string> = {
  component_not_present: 'Component not present',
  vulnerable_code_not_present: 'Vulnerable code not present',
  vulnerable_code_not_in_execute_path: 'Vulnerable code not in execute path',
  vulnerable_code_cannot_be_controlled_by_adversary:
    'Vulnerable code cannot be controlled by an adversary',
  inline_mitigations_already_exist: 'Inline mitigations already exist',
};

/** A finding's status in words. */
export const FINDING_STATUS_LABELS: Record<AdvisoryFindingStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  'not-affected': 'Not affected',
  resolved: 'Resolved',
};

/** Where a component came from, in words. */
export const COMPONENT_SOURCE_LABELS: Record<ComponentSource['kind'], string> =
  {
    sbom: 'SBOM',
    purl: 'purls',
    'kev-product': 'KEV product',
  };

/**
 * A finding's status with its justification:
 * "Not affected — vulnerable code not in execute path".
 */
export function describeFindingStatus(
  finding: Pick<AdvisoryFinding, 'status' | 'justification'>,
): string {
  const label = FINDING_STATUS_LABELS[finding.status];
  if (finding.status !== 'not-affected' || !finding.justification) {
    return label;
  }
  const reason = VEX_JUSTIFICATION_LABELS[finding.justification];
  return `${label} — ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Where to read an advisory: its first web reference, else its page on
 * osv.dev (GHSA and other OSV ids) or in the NVD (CVE ids). Only http(s)
 * addresses: a feed's references are not trusted to be links.
 */
export function advisoryUrl(
  advisory: Pick<Advisory, 'id' | 'source' | 'references'>,
): string | undefined {
  const reference = advisory.references.find(isHttpUrl);
  if (reference) return reference;
  const id = encodeURIComponent(advisory.id);
  if (/^CVE-/i.test(advisory.id)) {
    return `https://nvd.nist.gov/vuln/detail/${id}`;
  }
  if (advisory.source === 'osv' || /^GHSA-/i.test(advisory.id)) {
    return `https://osv.dev/vulnerability/${id}`;
  }
  return undefined;
}

/** Why a finding matches: `ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)`. */
export function describeMatch(match: AdvisoryMatch): string {
  return `${match.package} ${match.installedVersion} — ${
    match.affectedRange
  } (${COMPONENT_SOURCE_LABELS[match.source]})`;
}

/**
 * A date the API gives as a plain day (CISA's `2025-09-15`) or a
 * timestamp, as a short date; kept as it is when it is neither.
 */
export function formatDay(value?: string): string {
  if (!value) return '—';
  try {
    return formatDate(value);
  } catch {
    return value;
  }
}

/** CISA's required action and due date of a known exploited advisory. */
export function describeKev(
  advisory: Pick<Advisory, 'kevRequiredAction' | 'kevDueDate'>,
): string {
  const parts = ['In CISA’s catalog of known exploited vulnerabilities.'];
  if (advisory.kevRequiredAction) {
    parts.push(`Required action: ${advisory.kevRequiredAction}`);
  }
  if (advisory.kevDueDate) {
    parts.push(`CISA due date: ${formatDay(advisory.kevDueDate)}.`);
  }
  return parts.join(' ');
}
