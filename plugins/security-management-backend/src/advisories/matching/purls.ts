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
 * What is kept on a shared component: which index matched it last, with its
 * answer, and which list took it last. A catalog's SBOMs list some ten
 * million components of a few hundred thousand package versions; finding
 * these on the component itself saves a lookup in a table of that size (or
 * a hash of the component) for each one.
 */
export interface ComponentSlot {
  /** The index that wrote `hits`, by number (0: none yet). */
  owner: number;
  hits: unknown;
  /** The {@link DistinctComponents} list that took it last, by number. */
  listedIn: number;
}

const SLOT = Symbol('componentSlot');

/** The slot of a component read here, or undefined for any other. */
export function componentSlotOf(
  component: Component,
): ComponentSlot | undefined {
  return (component as { [SLOT]?: ComponentSlot })[SLOT];
}

/**
 * A component shared by every SBOM and list that names its purl: frozen, and
 * given a slot (not enumerable, so neither copied nor compared).
 */
function sharedComponent(component: Component): Component {
  const slot: ComponentSlot = { owner: 0, hits: undefined, listedIn: 0 };
  Object.defineProperty(component, SLOT, { value: slot });
  return Object.freeze(component);
}

let lastListNumber = 0;

/**
 * Components in the order first added, each once. A shared component is
 * told apart by a stamp in its slot, so a list must be built in one go
 * (synchronously), as an SBOM or an annotation is read.
 */
export class DistinctComponents {
  readonly items: Component[] = [];
  readonly #number = ++lastListNumber;
  readonly #others = new Set<Component>();

  add(component: Component): void {
    const slot = componentSlotOf(component);
    if (slot) {
      if (slot.listedIn === this.#number) return;
      slot.listedIn = this.#number;
    } else {
      const before = this.#others.size;
      this.#others.add(component);
      if (this.#others.size === before) return;
    }
    this.items.push(component);
  }
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
      // Components made after this are new objects: an SBOM being read
      // right now may list one package version twice (its reasons are
      // still given once, see AdvisoryIndex.match).
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
  const components = new DistinctComponents();
  const problems: string[] = [];
  for (const purl of value.split(/[\s,]+/)) {
    if (!purl) continue;
    const result = componentFromPurl(purl);
    if ('problem' in result) {
      problems.push(describePurlProblem(purl, result.problem));
    } else {
      components.add(result.component);
    }
  }
  return { components: components.items, problems };
}
