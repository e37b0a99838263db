import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { parseSyml } from '@yarnpkg/parsers';
import { PackageURL } from 'packageurl-js';
import { compareText } from './ecosystems';
import { ComponentSourceError } from './errors';

/** A package version resolved from the npm registry. */
interface LockedPackage {
  name: string;
  version: string;
}

interface LockEntry {
  version?: unknown;
  resolution?: unknown;
  resolved?: unknown;
}

/** `name@range` → name and range; the name may start with an @scope. */
function splitDescriptor(descriptor: string) {
  const at = descriptor.indexOf('@', 1);
  return at < 0
    ? undefined
    : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/**
 * The npm package version of a Yarn 2+ resolution: `name@npm:1.2.3`, or a
 * `patch:` of one (`name@patch:name@npm%3A1.2.3#…`), which is the same
 * package version with a local change. Workspaces, links, portals, files
 * and git checkouts are not npm packages.
 */
function fromResolution(resolution: string): LockedPackage | undefined {
  const locator = splitDescriptor(resolution);
  if (!locator) return undefined;
  if (locator.range.startsWith('npm:')) {
    return { name: locator.name, version: locator.range.slice('npm:'.length) };
  }
  if (locator.range.startsWith('patch:')) {
    const source = decodeURIComponent(
      locator.range.slice('patch:'.length).split('#')[0],
    );
    return fromResolution(source);
  }
  return undefined;
}

/** The package of a Yarn 1 entry, from its registry tarball URL. */
function fromClassic(entry: LockEntry): LockedPackage | undefined {
  if (typeof entry.resolved !== 'string' || typeof entry.version !== 'string') {
    return undefined;
  }
  const match = /^https?:\/\/[^/]+\/(.+?)\/-\/[^/]+\.tgz(#.*)?$/.exec(
    entry.resolved,
  );
  return match
    ? { name: decodeURIComponent(match[1]), version: entry.version }
    : undefined;
}

/**
 * The npm package versions a yarn.lock (Yarn 1 or Yarn 2+) resolves, each
 * once and sorted, and how many entries are not npm packages (workspaces,
 * links, git). Throws a {@link ComponentSourceError} when the text is not a
 * lockfile.
 */
export function packagesOfYarnLock(lockfileText: string): {
  packages: LockedPackage[];
  skipped: number;
} {
  let lock: Record<string, unknown>;
  try {
    lock = parseSyml(lockfileText);
  } catch (error) {
    throw new ComponentSourceError(
      `The lockfile cannot be read: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const byKey = new Map<string, LockedPackage>();
  let skipped = 0;
  for (const [key, value] of Object.entries(lock)) {
    if (key === '__metadata' || typeof value !== 'object' || value === null) {
      continue;
    }
    const entry = value as LockEntry;
    const pkg =
      typeof entry.resolution === 'string'
        ? fromResolution(entry.resolution)
        : fromClassic(entry);
    if (!pkg?.version) {
      skipped += 1;
      continue;
    }
    byKey.set(`${pkg.name}@${pkg.version}`, pkg);
  }
  if (!byKey.size) {
    throw new ComponentSourceError(
      'The lockfile cannot be read: it resolves no npm package',
    );
  }
  const packages = [...byKey.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, pkg]) => pkg);
  return { packages, skipped };
}

/**
 * A CycloneDX 1.6 JSON SBOM of a yarn.lock, written with the CycloneDX
 * library's models and JSON serializer: the application `options.name` and
 * one library component per resolved npm package version, with its purl
 * (`pkg:npm/%40scope/name@version`) as bom-ref. A `patch:` resolution counts
 * as the npm version it patches; workspaces, links and git checkouts are
 * left out. The output is deterministic (no timestamp or serial number).
 */
export function cycloneDxFromYarnLock(
  lockfileText: string,
  options: { name: string; version?: string },
): string {
  const { packages } = packagesOfYarnLock(lockfileText);
  const bom = new Models.Bom();
  bom.metadata.component = new Models.Component(
    Enums.ComponentType.Application,
    options.name,
    {
      version: options.version,
      bomRef: options.version
        ? `${options.name}@${options.version}`
        : options.name,
    },
  );
  for (const pkg of packages) {
    const scoped = pkg.name.startsWith('@') && pkg.name.includes('/');
    const group = scoped ? pkg.name.slice(0, pkg.name.indexOf('/')) : undefined;
    const name = scoped ? pkg.name.slice(pkg.name.indexOf('/') + 1) : pkg.name;
    const purl = new PackageURL('npm', group, name, pkg.version).toString();
    bom.components.add(
      new Models.Component(Enums.ComponentType.Library, name, {
        group,
        version: pkg.version,
        purl,
        bomRef: purl,
      }),
    );
  }
  const serializer = new Serialize.JsonSerializer(
    new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6),
  );
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}
