import {
  Advisory,
  AdvisoryFeed,
  AdvisoryFinding,
  AdvisoryFindingCounts,
  ComponentSource,
  EntityAdvisories,
} from '@open-itsm/plugin-security-management-common';
import { fromNow } from './fixtures';

/** The GHSA advisory of `ws` (CVE-2024-37890), as the API shows it. */
export function advisory(overrides: Partial<Advisory> = {}): Advisory {
  return {
    id: 'GHSA-3h5v-q93c-6h6q',
    source: 'osv',
    feedId: 'github-npm',
    summary:
      'ws affected by a DoS when handling a request with many HTTP headers',
    severity: 'high',
    aliases: ['CVE-2024-37890'],
    knownExploited: false,
    references: [
      'https://github.com/websockets/ws/security/advisories/GHSA-3h5v-q93c-6h6q',
    ],
    ...overrides,
  };
}

/** An open finding of {@link advisory} on the shop service, from its SBOM. */
export function finding(
  overrides: Partial<AdvisoryFinding> = {},
): AdvisoryFinding {
  return {
    id: 'f-1',
    entityRef: 'component:default/shop',
    owner: 'group:default/payments',
    advisory: advisory(),
    status: 'open',
    dueAt: fromNow({ days: 20 }),
    overdue: false,
    matches: [
      {
        ecosystem: 'npm',
        package: 'ws',
        purl: 'pkg:npm/ws@8.17.0',
        installedVersion: '8.17.0',
        affectedRange: '>=8.0.0 <8.17.1',
        source: 'sbom',
      },
    ],
    firstSeenAt: fromNow({ days: -10 }),
    updatedAt: fromNow({ days: -10 }),
    ...overrides,
  };
}

/** Counts of a list of findings, as the API computes them. */
export function countsOf(findings: AdvisoryFinding[]): AdvisoryFindingCounts {
  const bySeverity = { critical: 0, high: 0, moderate: 0, low: 0, unknown: 0 };
  for (const f of findings) bySeverity[f.advisory.severity] += 1;
  return {
    total: findings.length,
    overdue: findings.filter(f => f.overdue).length,
    knownExploited: findings.filter(f => f.advisory.knownExploited).length,
    bySeverity,
  };
}

/** A component source of the shop service that was read. */
export function componentSource(
  overrides: Partial<ComponentSource> = {},
): ComponentSource {
  return {
    entityRef: 'component:default/shop',
    kind: 'sbom',
    location: 'https://git.example.com/shop/sbom.cdx.json',
    status: 'ok',
    warnings: [],
    componentCount: 412,
    readAt: fromNow({ hours: -2 }),
    ...overrides,
  };
}

/** What the API answers for the shop service's advisories. */
export function entityAdvisories(
  options: { findings?: AdvisoryFinding[]; sources?: ComponentSource[] } = {},
): EntityAdvisories {
  const findings = options.findings ?? [finding()];
  return {
    entityRef: 'component:default/shop',
    findings,
    sources: options.sources ?? [componentSource()],
    counts: countsOf(findings),
  };
}

/** A feed that was read an hour ago. */
export function feed(overrides: Partial<AdvisoryFeed> = {}): AdvisoryFeed {
  return {
    id: 'github-npm',
    type: 'osv',
    target: 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip',
    status: 'ok',
    lastAttemptAt: fromNow({ hours: -1 }),
    lastSuccessAt: fromNow({ hours: -1 }),
    warnings: [],
    advisoryCount: 4210,
    ...overrides,
  };
}
