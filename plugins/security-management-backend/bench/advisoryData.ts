/*
 * Deterministic data of the advisories benchmark: a pool of npm packages
 * with their published versions, synthetic OSV advisories on them shaped
 * like GitHub's (introduced / fixed / last_affected), and a CycloneDX 1.5
 * SBOM per entity drawn from the same pool, generated when it is read.
 */
import {
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError, NotImplementedError } from '@backstage/errors';
import { ANNOTATION_SBOM } from '@open-itsm/plugin-security-management-common';
import { performance } from 'node:perf_hooks';
import { prng } from './seed';

/** npm packages the SBOMs and the advisories draw from. */
export const POOL_SIZE = 20_000;
export const SBOM_BASE = 'https://sbom.bench.invalid/';

const SEVERITIES = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'];
const LICENSES = ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause', 'BSD-2-Clause'];

export function packageName(index: number): string {
  return index % 8 === 0 ? `@scope-${index % 61}/pkg-${index}` : `pkg-${index}`;
}

/** The published versions of a pool package, oldest first (4 to 23). */
function publishedVersions(index: number): string[] {
  const random = prng(index + 1);
  const count = 4 + Math.floor(random() * 20);
  let major = Math.floor(random() * 4);
  let minor = 0;
  let patch = Math.floor(random() * 3);
  const versions: string[] = [];
  for (let k = 0; k < count; k++) {
    versions.push(`${major}.${minor}.${patch}`);
    const step = random();
    if (step < 0.1) {
      major += 1;
      minor = 0;
      patch = 0;
    } else if (step < 0.4) {
      minor += 1;
      patch = 0;
    } else {
      patch += 1;
    }
  }
  return versions;
}

const VERSIONS = Array.from({ length: POOL_SIZE }, (_, i) =>
  publishedVersions(i),
);

export function versionsOf(index: number): string[] {
  return VERSIONS[index];
}

/** A pool index, popular packages (low indices) more likely, as in real lockfiles. */
function popular(random: () => number): number {
  return Math.floor(POOL_SIZE * random() ** 2);
}

/** One synthetic advisory's affected package, kept to edit SBOMs later. */
export interface SyntheticAffected {
  pool: number;
  /** Index in the package's versions of the first affected one. */
  introducedAt: number;
  /** Index of the fixed version (or of the one after the last affected). */
  fixedAt: number;
}

export interface SyntheticFeed {
  /** The OSV feed: one JSON document holding an array of records. */
  json: string;
  affected: Map<string, SyntheticAffected[]>;
}

/**
 * `count` OSV records of npm packages, about 1 in 50 an alias of a CVE of
 * the KEV catalog, about 1 in 8 with a second range or package.
 */
export function osvFeed(count: number, kevCves: string[]): SyntheticFeed {
  const random = prng(9);
  const affected = new Map<string, SyntheticAffected[]>();
  const records = Array.from({ length: count }, (_, k) => {
    const id = `GHSA-bench-${k.toString(36).padStart(4, '0')}`;
    const entries: SyntheticAffected[] = [];
    const packages = random() < 0.12 ? 2 : 1;
    for (let p = 0; p < packages; p++) {
      // Any package of the pool, fixed mostly in an older release.
      const pool = Math.floor(POOL_SIZE * random());
      const n = versionsOf(pool).length;
      const fixedAt = 1 + Math.floor((n - 1) * random() ** 3);
      const introducedAt = random() < 0.6 ? 0 : Math.floor(random() * fixedAt);
      entries.push({ pool, introducedAt, fixedAt });
    }
    affected.set(id, entries);
    const severity = SEVERITIES[Math.floor(random() * SEVERITIES.length)];
    const cve =
      random() < 0.02
        ? kevCves[Math.floor(random() * kevCves.length)]
        : `CVE-2026-${10000 + k}`;
    const day = 1 + (k % 28);
    return {
      schema_version: '1.4.0',
      id,
      modified: `2026-10-${String(day).padStart(2, '0')}T12:00:00Z`,
      published: `2026-09-${String(day).padStart(2, '0')}T12:00:00Z`,
      aliases: [cve],
      summary: `${packageName(
        entries[0].pool,
      )} is vulnerable to a synthetic flaw ${k}`,
      // 0.2 to 2.7 kB, 1.5 kB on average, as the real fixtures.
      details: `### Impact\nA benchmark advisory. ${'An attacker could do something unpleasant with crafted input. '.repeat(
        2 + (k % 40),
      )}\n\n### Patches\nUpgrade.`,
      severity:
        random() < 0.5
          ? [
              {
                type: 'CVSS_V3',
                score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
              },
            ]
          : [],
      affected: entries.map(entry => {
        const versions = versionsOf(entry.pool);
        const lastAffected = random() < 0.15;
        return {
          package: { ecosystem: 'npm', name: packageName(entry.pool) },
          ranges: [
            {
              type: 'SEMVER',
              events: [
                {
                  introduced:
                    entry.introducedAt === 0
                      ? '0'
                      : versions[entry.introducedAt],
                },
                lastAffected
                  ? { last_affected: versions[entry.fixedAt - 1] }
                  : { fixed: versions[entry.fixedAt] },
              ],
            },
          ],
          database_specific: { source: 'benchmark' },
        };
      }),
      // 2 to 10, 6 on average, as the real fixtures.
      references: [
        { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${cve}` },
        { type: 'WEB', url: `https://github.com/advisories/${id}` },
        ...Array.from({ length: k % 9 }, (__, r) => ({
          type: 'WEB',
          url: `https://github.com/bench/${packageName(
            entries[0].pool,
          )}/commit/${k}${r}`,
        })),
      ],
      database_specific: {
        severity,
        github_reviewed: true,
        cwe_ids: ['CWE-79'],
      },
    };
  });
  return { json: JSON.stringify(records), affected };
}

export function benchEntityRef(index: number): string {
  return `component:default/svc-${index}`;
}

export function catalogEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `svc-${i}`,
      namespace: 'default',
      title: `Service ${i}`,
      annotations: { [ANNOTATION_SBOM]: `${SBOM_BASE}svc-${i}.cdx.json` },
    },
    spec: {
      type: 'service',
      lifecycle: i % 3 ? 'production' : 'experimental',
      owner: `group:default/team-${i % 500}`,
    },
  }));
}

/** The entity index an SBOM URL is of, or undefined. */
export function entityOfSbomUrl(url: string): number | undefined {
  const match = /^https:\/\/sbom\.bench\.invalid\/svc-(\d+)\.cdx\.json$/.exec(
    url,
  );
  return match ? Number(match[1]) : undefined;
}

export interface SbomComponent {
  name: string;
  version: string;
}

/** Marks the pool packages already picked for one SBOM (reused). */
const picked = new Uint8Array(POOL_SIZE);

/**
 * The pool packages of an entity's SBOM and the index of each one's
 * version: `count` distinct ones, mostly at a recent version.
 */
function pickComponents(
  entity: number,
  count: number,
): { pools: number[]; versions: number[] } {
  const random = prng(1_000_003 + entity);
  const pools: number[] = [];
  const wanted = Math.min(count, POOL_SIZE);
  while (pools.length < wanted) {
    const pool = popular(random);
    if (picked[pool]) continue;
    picked[pool] = 1;
    pools.push(pool);
  }
  for (const pool of pools) picked[pool] = 0;
  const versions = pools.map(pool => {
    const n = versionsOf(pool).length;
    return n - 1 - Math.floor(n * random() ** 5);
  });
  return { pools, versions };
}

/** `count` distinct pool packages, mostly at a recent version. */
export function sbomComponents(entity: number, count: number): SbomComponent[] {
  const { pools, versions } = pickComponents(entity, count);
  return pools.map((pool, i) => ({
    name: packageName(pool),
    version: versionsOf(pool)[versions[i]],
  }));
}

/*
 * The SBOM text is written from pieces rendered once per pool package
 * rather than by JSON.stringify of a fresh object tree per entity: the
 * same document, byte for byte, as JSON.stringify wrote it before (checked
 * when this was written), at a fraction of the benchmark's own cost; it
 * stands in for reading the SBOM over the network, which is not what is
 * measured. The product still parses and validates every one in full.
 */
interface NamePieces {
  /** `{"type":"library","bom-ref":"pkg:npm/<name>@` (the scope's @ encoded). */
  head: string;
  /** `,"group":…,"name":…` or `,"name":…`. */
  nameMembers: string;
  /** `"pkg:npm/<name>@`, to end a purl member. */
  purlHead: string;
}

function renderName(name: string): NamePieces {
  const slash = name.indexOf('/');
  // JSON of `pkg:npm/<name>@` without its closing quote.
  const purlHead = JSON.stringify(
    `pkg:npm/${name.replace(/^@/, '%40')}@`,
  ).slice(0, -1);
  return {
    head: `{"type":"library","bom-ref":${purlHead}`,
    nameMembers:
      slash > 0
        ? `,"group":${JSON.stringify(
            name.slice(0, slash),
          )},"name":${JSON.stringify(name.slice(slash + 1))}`
        : `,"name":${JSON.stringify(name)}`,
    purlHead,
  };
}

const POOL_PIECES: NamePieces[] = Array.from({ length: POOL_SIZE }, (_, i) =>
  renderName(packageName(i)),
);

// Pool versions go into the JSON as they are: plain x.y.z, checked here.
for (const versions of VERSIONS) {
  for (const version of versions) {
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`pool version ${version} would need escaping`);
    }
  }
}

const LICENSE_PIECES = LICENSES.map(
  id =>
    `"licenses":[{"license":{"id":${JSON.stringify(
      id,
    )}}}],"hashes":[{"alg":"SHA-512","content":"`,
);
const HEX4 = Array.from({ length: 0x10000 }, (_, i) =>
  i.toString(16).padStart(4, '0'),
);

function sbomHead(entity: number, hex: string): string {
  return (
    `{"$schema":"http://cyclonedx.org/schema/bom-1.5.schema.json","bomFormat":"CycloneDX","specVersion":"1.5",` +
    `"serialNumber":"urn:uuid:00000000-0000-4000-8000-${hex}","version":1,` +
    `"metadata":{"timestamp":"2026-11-30T00:00:00.000Z","component":{"type":"application","name":"svc-${entity}","version":"1.0.0","bom-ref":"svc-${entity}"}},` +
    `"components":[`
  );
}

/**
 * One component: `version` is the JSON of the version without its quotes;
 * the hash is the entity's and the component's hex, padded to 128.
 */
function componentText(
  pieces: NamePieces,
  version: string,
  i: number,
  hex: string,
): string {
  const index = i < HEX4.length ? HEX4[i] : i.toString(16);
  return `${i ? ',' : ''}${pieces.head}${version}"${
    pieces.nameMembers
  },"version":"${version}",${
    LICENSE_PIECES[i % LICENSES.length]
  }${`${hex}${index}`.padEnd(128, 'a')}"}],"purl":${
    pieces.purlHead
  }${version}"}`;
}

/** A CycloneDX 1.5 JSON SBOM as `@cyclonedx/cyclonedx-npm` writes one. */
export function sbomText(entity: number, components: SbomComponent[]): string {
  const hex = entity.toString(16).padStart(12, '0');
  const parts = [sbomHead(entity, hex)];
  components.forEach(({ name, version }, i) =>
    parts.push(
      componentText(
        renderName(name),
        JSON.stringify(version).slice(1, -1),
        i,
        hex,
      ),
    ),
  );
  parts.push(']}');
  return parts.join('');
}

/** What follows the name members of a pool package, before its version. */
const VERSION_MEMBER = ',"version":"';
/** The hash's padding, the hash's end and the purl member's start. */
const HASH_PAD_AND_PURL = `${'a'.repeat(128 - 12 - 4)}"}],"purl":`;
/** Per pool package: the pieces around its version, encoded once. */
const POOL_WRITTEN = POOL_PIECES.map(pieces => ({
  head: Buffer.from(pieces.head, 'latin1'),
  mid: Buffer.from(`"${pieces.nameMembers}${VERSION_MEMBER}`, 'latin1'),
  tail: Buffer.from(`${HASH_PAD_AND_PURL}${pieces.purlHead}`, 'latin1'),
}));
const LICENSE_WRITTEN = LICENSE_PIECES.map(piece =>
  Buffer.from(`",${piece}`, 'latin1'),
);

/** Writes ASCII `text` at `at`; returns where it ends. */
function put(buffer: Buffer, at: number, text: string): number {
  for (let k = 0; k < text.length; k++) buffer[at + k] = text.charCodeAt(k);
  return at + text.length;
}

/**
 * The SBOM of an entity's own components, as sbomText(entity,
 * sbomComponents(entity, count)) would write it, written straight into a
 * buffer of its exact size (every piece is ASCII).
 */
export function entitySbomBytes(entity: number, count: number): Buffer {
  const hex = entity.toString(16).padStart(12, '0');
  const { pools, versions } = pickComponents(entity, count);
  if (hex.length !== 12 || pools.length > HEX4.length) {
    return Buffer.from(sbomText(entity, sbomComponents(entity, count)));
  }
  const head = sbomHead(entity, hex);
  let size = head.length + 2 + Math.max(0, pools.length - 1);
  for (let i = 0; i < pools.length; i++) {
    const written = POOL_WRITTEN[pools[i]];
    size +=
      written.head.length +
      written.mid.length +
      written.tail.length +
      LICENSE_WRITTEN[i % LICENSES.length].length +
      16 +
      3 * VERSIONS[pools[i]][versions[i]].length +
      2;
  }
  const buffer = Buffer.allocUnsafeSlow(size);
  let at = put(buffer, 0, head);
  for (let i = 0; i < pools.length; i++) {
    const written = POOL_WRITTEN[pools[i]];
    const version = VERSIONS[pools[i]][versions[i]];
    if (i) at = put(buffer, at, ',');
    buffer.set(written.head, at);
    at = put(buffer, at + written.head.length, version);
    buffer.set(written.mid, at);
    at = put(buffer, at + written.mid.length, version);
    const license = LICENSE_WRITTEN[i % LICENSES.length];
    buffer.set(license, at);
    at = put(buffer, at + license.length, hex);
    at = put(buffer, at, HEX4[i]);
    buffer.set(written.tail, at);
    at = put(buffer, at + written.tail.length, version);
    at = put(buffer, at, '"}');
  }
  at = put(buffer, at, ']}');
  if (at !== size) throw new Error(`SBOM of ${size} bytes, ${at} written`);
  return buffer;
}

/**
 * Serves the feeds and every entity's SBOM; `edits` replaces the components
 * of an entity's SBOM. SBOMs are generated once, before the timed cycles
 * ({@link BenchReader.prepare}), as a store would hold them; each read hands
 * out a copy of the bytes, as a read from the network delivers fresh ones.
 */
export class BenchReader implements UrlReaderService {
  readonly edits = new Map<number, SbomComponent[]>();
  /** Milliseconds the reader spent producing SBOM bytes: the benchmark's. */
  readingMs = 0;
  readonly #prepared: Buffer[] = [];
  constructor(
    private readonly files: Map<string, Buffer>,
    private readonly components: number,
  ) {}

  /** Generates the SBOMs of the first `entities` entities; returns seconds. */
  prepare(entities: number): number {
    const start = performance.now();
    for (let entity = this.#prepared.length; entity < entities; entity++) {
      this.#prepared.push(entitySbomBytes(entity, this.components));
    }
    return (performance.now() - start) / 1000;
  }

  async readUrl(url: string): Promise<UrlReaderServiceReadUrlResponse> {
    const file = this.files.get(url);
    if (file) return { buffer: async () => file };
    const entity = entityOfSbomUrl(url);
    if (entity === undefined) throw new NotFoundError(`${url}: no such file`);
    const start = performance.now();
    const edited = this.edits.get(entity);
    const prepared = this.#prepared[entity];
    let content: Buffer;
    if (edited) content = Buffer.from(sbomText(entity, edited));
    else if (prepared) content = Buffer.from(prepared);
    else content = entitySbomBytes(entity, this.components);
    this.readingMs += performance.now() - start;
    return { buffer: async () => content };
  }

  async readTree(): Promise<never> {
    throw new NotImplementedError('readTree is not used by the benchmark');
  }

  async search(): Promise<never> {
    throw new NotImplementedError('search is not used by the benchmark');
  }
}
