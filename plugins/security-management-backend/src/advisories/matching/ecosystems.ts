import semver, { SemVer } from 'semver';

/**
 * The ecosystems this version can match: those whose versions are ordered
 * by semver, so that `semver` compares them. Others (PyPI, Maven, RubyGems,
 * NuGet, distributions, ...) have their own ordering and are reported as
 * not matched rather than compared wrongly.
 */
interface EcosystemSpec {
  /** The OSV spelling. */
  ecosystem: string;
  /** The package URL type. */
  purlType: string;
  /** Whether package names compare case-insensitively. */
  foldCase: boolean;
}

const ECOSYSTEMS: readonly EcosystemSpec[] = [
  { ecosystem: 'npm', purlType: 'npm', foldCase: true },
  { ecosystem: 'crates.io', purlType: 'cargo', foldCase: true },
  // Go module paths are case-sensitive; versions carry a leading "v",
  // which semver's loose mode reads.
  { ecosystem: 'Go', purlType: 'golang', foldCase: false },
  { ecosystem: 'Hex', purlType: 'hex', foldCase: true },
  { ecosystem: 'Pub', purlType: 'pub', foldCase: true },
];

/** The OSV ecosystems this version matches, for messages and docs. */
export const MATCHED_ECOSYSTEMS = ECOSYSTEMS.map(e => e.ecosystem);

/** The package URL types this version matches. */
export const MATCHED_PURL_TYPES = ECOSYSTEMS.map(e => e.purlType);

const byEcosystem = new Map(
  ECOSYSTEMS.map(e => [e.ecosystem.toLocaleLowerCase('en-US'), e]),
);
const byPurlType = new Map(ECOSYSTEMS.map(e => [e.purlType, e]));

/** The canonical OSV spelling of a matched ecosystem, or undefined. */
export function matchedEcosystem(ecosystem: string): string | undefined {
  return byEcosystem.get(ecosystem.toLocaleLowerCase('en-US'))?.ecosystem;
}

/** The OSV ecosystem of a matched package URL type, or undefined. */
export function ecosystemOfPurlType(purlType: string): string | undefined {
  return byPurlType.get(purlType.toLocaleLowerCase('en-US'))?.ecosystem;
}

/** The key under which a package is indexed: ecosystem and folded name. */
export function packageKey(ecosystem: string, name: string): string {
  const spec = byEcosystem.get(ecosystem.toLocaleLowerCase('en-US'));
  const folded = spec?.foldCase ? name.toLocaleLowerCase('en-US') : name;
  return `${spec?.ecosystem ?? ecosystem}\u0000${folded}`;
}

/** "0" in an `introduced` event: from the very first version. */
export const ZERO = '0';

/**
 * A version as semver reads it (loose: "v1.2.3", "=1.2.3"), or undefined;
 * never throws.
 */
export function parseVersion(version: string): SemVer | undefined {
  try {
    return semver.parse(version.trim(), { loose: true }) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Orders text by code unit, the same on every machine (unlike locales). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
