import { SemVer } from 'semver';
import { parseVersion, ZERO } from './ecosystems';
import { AffectedPackage, AffectedRange } from './types';

/** One interval of a range; no lower bound means from the beginning. */
interface Interval {
  lower?: SemVer;
  upper?: SemVer;
  upperInclusive: boolean;
  text: string;
}

/** A range compiled for matching, or unusable if a version does not parse. */
interface CompiledRange {
  intervals: Interval[];
  /** The version must be below one of them (OSV `limit`). */
  limits: SemVer[];
  limitText: string;
}

/** The ranges and versions of one package in one advisory, compiled. */
export interface CompiledPackage {
  ranges: CompiledRange[];
  /** Canonical version → the version as the advisory lists it. */
  versions: Map<string, string>;
}

type Event = AffectedRange['events'][number];

function eventVersion(event: Event): string | undefined {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
}

/**
 * Compiles one OSV range into intervals, following the evaluation in
 * https://ossf.github.io/osv-schema/#evaluation: events sorted by version;
 * `introduced` opens an interval (inclusive; "0" is the beginning), `fixed`
 * closes it (exclusive), `last_affected` closes it (inclusive); `limit`
 * bounds the whole range (exclusive; "*" is no limit). Returns undefined
 * when a version in it does not parse: such a range matches nothing.
 */
export function compileRange(range: AffectedRange): CompiledRange | undefined {
  const events: Array<{ event: Event; version?: SemVer }> = [];
  for (const event of range.events) {
    const raw = eventVersion(event);
    if (raw === undefined) return undefined;
    if (
      (event.introduced === ZERO && raw === ZERO) ||
      (event.limit !== undefined && raw === '*')
    ) {
      events.push({ event });
      continue;
    }
    const version = parseVersion(raw);
    if (!version) return undefined;
    events.push({ event, version });
  }
  // Stable sort: "0" first, then by version.
  events.sort((a, b) => {
    if (!a.version || !b.version) {
      return (a.version ? 1 : 0) - (b.version ? 1 : 0);
    }
    return a.version.compare(b.version);
  });

  const intervals: Interval[] = [];
  const limits: SemVer[] = [];
  let open: { lower?: SemVer } | undefined;
  for (const { event, version } of events) {
    if (event.introduced !== undefined) {
      open ??= { lower: version };
    } else if (event.fixed !== undefined && open && version) {
      intervals.push(interval(open.lower, version, false));
      open = undefined;
    } else if (event.last_affected !== undefined && open && version) {
      intervals.push(interval(open.lower, version, true));
      open = undefined;
    } else if (event.limit !== undefined && version) {
      limits.push(version);
    }
  }
  if (open) intervals.push(interval(open.lower, undefined, false));
  return {
    intervals,
    limits,
    limitText: limits.length
      ? ` (limit <${limits.map(l => l.raw).join(' or <')})`
      : '',
  };
}

function interval(
  lower: SemVer | undefined,
  upper: SemVer | undefined,
  upperInclusive: boolean,
): Interval {
  const parts: string[] = [];
  if (lower) parts.push(`>=${lower.raw}`);
  if (upper) parts.push(`${upperInclusive ? '<=' : '<'}${upper.raw}`);
  return {
    lower,
    upper,
    upperInclusive,
    text: parts.length ? parts.join(' ') : 'all versions',
  };
}

function contains(range: CompiledRange, version: SemVer): string | undefined {
  if (range.limits.length && !range.limits.some(l => version.compare(l) < 0)) {
    return undefined;
  }
  for (const i of range.intervals) {
    if (i.lower && version.compare(i.lower) < 0) continue;
    if (i.upper) {
      const c = version.compare(i.upper);
      if (c > 0 || (c === 0 && !i.upperInclusive)) continue;
    }
    return i.text + range.limitText;
  }
  return undefined;
}

/** The canonical form of a version, for comparing `versions` lists. */
function canonical(version: string): string {
  return parseVersion(version)?.version ?? version.trim();
}

/**
 * Compiles an affected package; `unusableRanges` counts the ranges with a
 * version semver cannot read (they match nothing).
 */
export function compilePackage(affected: AffectedPackage): {
  compiled: CompiledPackage;
  unusableRanges: number;
} {
  const ranges: CompiledRange[] = [];
  let unusableRanges = 0;
  for (const range of affected.ranges) {
    const compiled = compileRange(range);
    if (compiled) ranges.push(compiled);
    else unusableRanges += 1;
  }
  const versions = new Map<string, string>();
  for (const v of affected.versions) {
    if (!versions.has(canonical(v))) versions.set(canonical(v), v);
  }
  return { compiled: { ranges, versions }, unusableRanges };
}

/** Merges the entries of one package named twice in one advisory (OR). */
export function mergePackages(
  a: CompiledPackage,
  b: CompiledPackage,
): CompiledPackage {
  return {
    ranges: [...a.ranges, ...b.ranges],
    versions: new Map([...b.versions, ...a.versions]),
  };
}

/**
 * Whether a version is affected, and the text of the range that contains
 * it: the first range in the advisory's order, else the versions list. A
 * version semver cannot read is matched against the versions list only.
 */
export function affectedRangeOf(
  pkg: CompiledPackage,
  version: string,
  parsed: SemVer | undefined,
): string | undefined {
  if (parsed) {
    for (const range of pkg.ranges) {
      const text = contains(range, parsed);
      if (text !== undefined) return text;
    }
  }
  const listed = pkg.versions.get(parsed?.version ?? version.trim());
  return listed === undefined ? undefined : `versions: ${listed}`;
}
