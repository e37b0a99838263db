import {
  compareText,
  matchedEcosystem,
  packageKey,
  parseVersion,
} from './ecosystems';
import { kevProductKey } from './kevCatalog';
import { componentSlotOf } from './purls';
import {
  affectedRangeOf,
  CompiledPackage,
  compilePackage,
  mergePackages,
} from './ranges';
import {
  AdvisoryMatchReason,
  Component,
  KevProduct,
  KnownExploited,
  ParsedAdvisory,
} from './types';

interface Hit {
  advisoryId: string;
  ecosystem: string;
  affectedRange: string;
}

const NO_HITS: readonly Hit[] = Object.freeze([]);

/** Numbers the indexes of this thread, for the slots of shared components. */
let lastIndexNumber = 0;

/** The ecosystem and text of a KEV product match. */
const KEV_ECOSYSTEM = 'kev';
const KEV_RANGE = 'all versions (the KEV catalog names products, not versions)';

function compareReasons(a: AdvisoryMatchReason, b: AdvisoryMatchReason) {
  const keys = [
    'advisoryId',
    'ecosystem',
    'package',
    'installedVersion',
    'source',
  ] as const;
  for (const key of keys) {
    if (a[key] !== b[key]) return compareText(a[key], b[key]);
  }
  return compareText(a.purl ?? '', b.purl ?? '');
}

/**
 * The advisories of every feed, indexed for matching the components of
 * many entities. Withdrawn advisories are left out. A package version read
 * from a purl (see componentFromPurl) is one shared component, which keeps
 * the answer of the index that last matched it: matching thousands of
 * entities that share packages costs one lookup per distinct package
 * version for each index (one index per feed state).
 */
export class AdvisoryIndex {
  /** packageKey → advisory id → the package's ranges in that advisory. */
  readonly #packages = new Map<string, Map<string, CompiledPackage>>();
  /** Folded vendor:product → KEV advisories naming it. */
  readonly #kevProducts = new Map<
    string,
    Array<{ id: string; vendorProject: string; product: string }>
  >();
  /** Advisory id → KEV entry of its CVE (itself, or by alias). */
  readonly #knownExploited = new Map<string, KnownExploited>();
  readonly #number = ++lastIndexNumber;
  readonly #size: number;

  constructor(advisories: ParsedAdvisory[]) {
    const active = advisories.filter(a => !a.withdrawnAt);
    const ids = new Set<string>();
    const kevByCve = new Map<string, KnownExploited>();
    for (const advisory of active) {
      ids.add(advisory.id);
      const kev = advisory.knownExploited;
      if (kev) {
        if (!kevByCve.has(advisory.id)) kevByCve.set(advisory.id, kev);
        const key = kevProductKey(kev.vendorProject, kev.product);
        const list = this.#kevProducts.get(key) ?? [];
        list.push({
          id: advisory.id,
          vendorProject: kev.vendorProject,
          product: kev.product,
        });
        this.#kevProducts.set(key, list);
      }
      for (const affected of advisory.affected) {
        const key = packageKey(affected.ecosystem, affected.name);
        const byAdvisory = this.#packages.get(key) ?? new Map();
        const { compiled } = compilePackage(affected);
        const previous = byAdvisory.get(advisory.id);
        byAdvisory.set(
          advisory.id,
          previous ? mergePackages(previous, compiled) : compiled,
        );
        this.#packages.set(key, byAdvisory);
      }
    }
    for (const advisory of active) {
      const kev = [advisory.id, ...advisory.aliases]
        .map(id => kevByCve.get(id))
        .find(Boolean);
      if (kev) this.#knownExploited.set(advisory.id, kev);
    }
    this.#size = ids.size;
  }

  /** How many advisories (withdrawn ones left out) the index holds. */
  get size(): number {
    return this.#size;
  }

  /**
   * The CISA KEV entry of an advisory: its own (a KEV advisory), or that of
   * a CVE among its aliases (an OSV advisory of a known exploited CVE).
   */
  knownExploitedFor(advisoryId: string): KnownExploited | undefined {
    return this.#knownExploited.get(advisoryId);
  }

  #hitsFor(component: Component): readonly Hit[] {
    // A component shared per purl holds the answer of the index that last
    // matched it: this one's, except just after the advisories changed.
    const slot = componentSlotOf(component);
    if (slot) {
      if (slot.owner !== this.#number) {
        slot.hits = this.#lookup(component);
        slot.owner = this.#number;
      }
      return slot.hits as readonly Hit[];
    }
    // Made elsewhere (by hand, in tests): looked up each time.
    return this.#lookup(component);
  }

  #lookup({ ecosystem, name, version }: Component): readonly Hit[] {
    const canonical = matchedEcosystem(ecosystem);
    if (!canonical) return NO_HITS;
    const advisories = this.#packages.get(packageKey(canonical, name));
    if (!advisories) return NO_HITS;
    // Loose: Go's leading "v" is read too.
    const parsed = parseVersion(version);
    const hits: Hit[] = [];
    for (const [advisoryId, pkg] of advisories) {
      const affectedRange = affectedRangeOf(pkg, version, parsed);
      if (affectedRange !== undefined) {
        hits.push({ advisoryId, ecosystem: canonical, affectedRange });
      }
    }
    return hits.length ? hits : NO_HITS;
  }

  /**
   * Why advisories affect one entity: one reason per advisory and component
   * (package version) whose version is inside a range or listed, and per
   * KEV entry naming one of its products. `components` are those of the
   * SBOM, `purlComponents` those the purls annotation names. Sorted by
   * advisory id, ecosystem, package, version and source, so the same input
   * gives the same output.
   */
  match(input: {
    components: Component[];
    purlComponents?: Component[];
    products?: KevProduct[];
  }): AdvisoryMatchReason[] {
    const reasons: AdvisoryMatchReason[] = [];
    const add = (components: Component[], source: 'sbom' | 'purl') => {
      for (const component of components) {
        const hits = this.#hitsFor(component);
        for (const hit of hits) {
          reasons.push({
            advisoryId: hit.advisoryId,
            ecosystem: hit.ecosystem,
            package: component.name,
            purl: component.purl || undefined,
            installedVersion: component.version,
            affectedRange: hit.affectedRange,
            source,
          });
        }
      }
    };
    add(input.components, 'sbom');
    add(input.purlComponents ?? [], 'purl');
    for (const product of input.products ?? []) {
      const entries = this.#kevProducts.get(
        kevProductKey(product.vendor, product.product),
      );
      for (const entry of entries ?? []) {
        reasons.push({
          advisoryId: entry.id,
          ecosystem: KEV_ECOSYSTEM,
          package: `${entry.vendorProject}:${entry.product}`,
          installedVersion: 'unknown',
          affectedRange: KEV_RANGE,
          source: 'kev-product',
        });
      }
    }
    reasons.sort(compareReasons);
    return reasons.filter(
      (r, i) => i === 0 || compareReasons(reasons[i - 1], r) !== 0,
    );
  }
}
