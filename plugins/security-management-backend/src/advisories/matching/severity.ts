import { fromVector } from 'ae-cvss-calculator';
import { AdvisorySeverity } from './types';

const GITHUB_SEVERITIES: Record<string, AdvisorySeverity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'moderate',
  MEDIUM: 'moderate',
  LOW: 'low',
};

// The newest CVSS version first: it is the one the publisher scored last.
const CVSS_TYPES = ['CVSS_V4', 'CVSS_V3', 'CVSS_V2'];

/** The qualitative rating of a CVSS base score (0.0 is rated low here). */
function ratingOf(score: number): AdvisorySeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  return 'low';
}

function baseScore(vector: string): number | undefined {
  try {
    const cvss = fromVector(vector);
    const base = cvss?.calculateScores()?.base;
    return typeof base === 'number' && Number.isFinite(base) ? base : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The severity of an OSV record: GitHub's `database_specific.severity` when
 * present (MODERATE → moderate), else the rating of the base score of its
 * newest CVSS vector, else unknown.
 */
export function severityOf(options: {
  databaseSeverity?: unknown;
  cvss?: Array<{ type: string; score: string }>;
}): AdvisorySeverity {
  const { databaseSeverity, cvss = [] } = options;
  if (typeof databaseSeverity === 'string') {
    const known = GITHUB_SEVERITIES[databaseSeverity.trim().toUpperCase()];
    if (known) return known;
  }
  for (const type of CVSS_TYPES) {
    for (const entry of cvss) {
      if (entry.type !== type) continue;
      const score = baseScore(entry.score);
      if (score !== undefined) return ratingOf(score);
    }
  }
  return 'unknown';
}
