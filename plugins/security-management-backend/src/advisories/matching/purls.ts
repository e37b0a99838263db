import { PackageURL } from 'packageurl-js';
import { ecosystemOfPurlType, MATCHED_PURL_TYPES } from './ecosystems';
import { Component } from './types';

/** Why a package URL gives no component. */
export type PurlProblem =
  | { kind: 'unreadable'; message: string }
  | { kind: 'unmatched-type'; type: string }
  | { kind: 'no-version' };

type PurlResult = { component: Component } | { problem: PurlProblem };

// Parsing is pure, and SBOMs of many entities name the same packages: keep
// the results, bounded so that arbitrary input cannot grow it without end.
// A catalog of 10,000 SBOMs names a few hundred thousand package versions.
const MAX_CACHED = 1_000_000;
const cache = new Map<string, PurlResult>();
// Purls written differently (`%40scope` or `@scope`, qualifiers in another
// order) that name the same package version share one component.
const byCanonicalPurl = new Map<string, Component>();

/**
 * Where an advisory index keeps what a shared component matched: the index's
 * number and its answer. A catalog's SBOMs list some ten million components
 * of a few hundred thousand package versions; finding the answer on the
 * component itself saves a lookup in a table of that size for each one.
 */
export interface MatchMemo {
  /** The index that wrote `hits`, by number (0: none yet). */
  owner: number;
  hits: unknown;
}

const MEMO = Symbol('matchMemo');

/** The memo of a component read here, or undefined for any other. */
export function matchMemoOf(component: Component): MatchMemo | undefined {
  return (component as { [MEMO]?: MatchMemo })[MEMO];
}

/**
 * A component shared by every SBOM and list that names its purl: frozen, and
 * given a memo slot (not enumerable, so neither copied nor compared).
 */
function sharedComponent(component: Component): Component {
  const memo: MatchMemo = { owner: 0, hits: undefined };
  Object.defineProperty(component, MEMO, { value: memo });
  return Object.freeze(component);
}

function read(purl: string): PurlResult {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch (error) {
    return {
      problem: { kind: 'unreadable', message: (error as Error).message },
    };
  }
  const ecosystem = ecosystemOfPurlType(parsed.type);
  if (!ecosystem) {
    return { problem: { kind: 'unmatched-type', type: parsed.type } };
  }
  if (!parsed.version) return { problem: { kind: 'no-version' } };
  // npm scopes and Go module paths are the namespace; crates, Hex and Pub
  // packages are known by their name alone.
  const withNamespace = ecosystem === 'npm' || ecosystem === 'Go';
  const canonical = parsed.toString();
  let component = byCanonicalPurl.get(canonical);
  if (!component) {
    component = sharedComponent({
      ecosystem,
      name:
        withNamespace && parsed.namespace
          ? `${parsed.namespace}/${parsed.name}`
          : parsed.name,
      version: parsed.version,
      purl: canonical,
    });
    byCanonicalPurl.set(canonical, component);
  }
  return { component };
}

/**
 * The component a package URL names, or why it names none. The component is
 * shared by every caller that reads the same purl, and frozen.
 */
export function componentFromPurl(purl: string): PurlResult {
  let result = cache.get(purl);
  if (!result) {
    result = read(purl);
    if (cache.size >= MAX_CACHED) {
      cache.clear();
      byCanonicalPurl.clear();
    }
    cache.set(purl, result);
  }
  return result;
}

/** A problem in words, naming the purl. */
export function describePurlProblem(
  purl: string,
  problem: PurlProblem,
): string {
  switch (problem.kind) {
    case 'unreadable':
      return `${purl} is not a package URL: ${problem.message}`;
    case 'unmatched-type':
      return `${purl}: type "${
        problem.type
      }" cannot be matched (matched: ${MATCHED_PURL_TYPES.join(', ')})`;
    default:
      return `${purl} has no version (write pkg:type/name@version)`;
  }
}

/**
 * Reads the `purls` annotation: package URLs separated by commas, spaces or
 * new lines (a comma inside a purl must be written %2C). Every purl that
 * cannot be read, has no version or has a type this version cannot match
 * is a problem naming it.
 */
export function parsePurlList(value: string): {
  components: Component[];
  problems: string[];
} {
  const components: Component[] = [];
  const problems: string[] = [];
  const seen = new Set<Component>();
  for (const purl of value.split(/[\s,]+/)) {
    if (!purl) continue;
    const result = componentFromPurl(purl);
    if ('problem' in result) {
      problems.push(describePurlProblem(purl, result.problem));
    } else if (!seen.has(result.component)) {
      seen.add(result.component);
      components.push(result.component);
    }
  }
  return { components, problems };
}
