import type { AdvisorySeverity } from '@open-itsm/plugin-security-management-common';

export type { AdvisorySeverity };

/**
 * An OSV range of a semver-ordered ecosystem. Events as in
 * https://ossf.github.io/osv-schema/#affectedranges-field: `introduced`
 * inclusive ("0" is the beginning), `fixed` exclusive, `last_affected`
 * inclusive, `limit` exclusive upper bound of the whole range.
 */
export interface AffectedRange {
  type: 'SEMVER' | 'ECOSYSTEM';
  events: Array<{
    introduced?: string;
    fixed?: string;
    last_affected?: string;
    limit?: string;
  }>;
}

/** One package an advisory names, in an ecosystem this version can compare. */
export interface AffectedPackage {
  /** The OSV ecosystem, canonical spelling: npm, crates.io, Go, Hex, Pub. */
  ecosystem: string;
  name: string;
  /** OR'ed; GIT ranges are not kept. */
  ranges: AffectedRange[];
  /** Versions affected exactly, besides the ranges. */
  versions: string[];
}

/** What a CISA KEV entry says about an exploited vulnerability. */
export interface KnownExploited {
  vendorProject: string;
  product: string;
  /** YYYY-MM-DD */
  dateAdded: string;
  /** YYYY-MM-DD */
  dueDate?: string;
  requiredAction?: string;
  /** 'Known' or 'Unknown', as CISA writes it. */
  knownRansomwareCampaignUse?: string;
}

/** An advisory read from a feed, before it is stored. */
export interface ParsedAdvisory {
  /** GHSA-… or CVE-… */
  id: string;
  source: 'osv' | 'kev';
  summary: string;
  details?: string;
  severity: AdvisorySeverity;
  /** Other ids of the same vulnerability, e.g. CVE ids. */
  aliases: string[];
  /** ISO 8601 instants. */
  publishedAt?: string;
  modifiedAt?: string;
  withdrawnAt?: string;
  /** URLs, at most 20. */
  references: string[];
  affected: AffectedPackage[];
  /** Set on KEV entries. */
  knownExploited?: KnownExploited;
}

/** The advisories of one feed, and what was dropped from it. */
export interface FeedParseResult {
  advisories: ParsedAdvisory[];
  /** Counted, one line per kind of problem, never one per record. */
  warnings: string[];
  /** The version the feed states for itself (the KEV `catalogVersion`). */
  feedVersion?: string;
}

/** A package version an entity is built from. */
export interface Component {
  /** The OSV ecosystem: npm, crates.io, Go, Hex or Pub. */
  ecosystem: string;
  /** The name in that ecosystem: `@scope/name` for npm, the module path for Go. */
  name: string;
  version: string;
  /** The canonical package URL. */
  purl: string;
}

/** A vendor product named by an entity, matched to the CISA KEV catalog. */
export interface KevProduct {
  vendor: string;
  product: string;
}

/** Why an advisory affects an entity. */
export interface AdvisoryMatchReason {
  advisoryId: string;
  /** The OSV ecosystem, or `kev` for a KEV product match. */
  ecosystem: string;
  /** The package name, or `Vendor:Product` for a KEV product match. */
  package: string;
  purl?: string;
  /** `unknown` for a KEV product match: the annotation names no version. */
  installedVersion: string;
  /** Human text: `>=6.0.0 <6.2.1`, `<=6.6.1`, `versions: 1.2.3`. */
  affectedRange: string;
  source: 'sbom' | 'purl' | 'kev-product';
}
