import fs from 'node:fs';
import path from 'node:path';
import { AdvisoryIndex } from './AdvisoryIndex';
import { readCycloneDxSbom } from './cycloneDxSbom';
import { parseKevCatalog } from './kevCatalog';
import { parseOsvFeed } from './osvFeed';
import { cycloneDxFromYarnLock } from './yarnLockSbom';

/*
 * The proof on real data: the advisories of the GitHub Advisory Database in
 * __fixtures__/osv, matched against the SBOM of this repository's yarn.lock
 * at 7dff650d, give exactly the table of __fixtures__/README.md (and of
 * shared/data/advisories/README.md): 10 affected, 30 not, 1 withdrawn.
 */

const fixtures = path.resolve(__dirname, '../__fixtures__');
const osvDir = path.join(fixtures, 'osv');

function osvFiles() {
  return fs
    .readdirSync(osvDir)
    .filter(f => f.endsWith('.json'))
    .map(f => ({
      path: `osv/${f}`,
      content: fs.readFileSync(path.join(osvDir, f)),
    }));
}

/** Advisory → the locked package versions it affects (the README's table). */
const EXPECTED: Record<string, string[]> = {
  'GHSA-34x7-hfp2-rc4v': ['tar@6.2.1'],
  'GHSA-848j-6mx2-7j84': ['elliptic@6.6.1'],
  'GHSA-8qq5-rm4j-mr97': ['tar@6.2.1'],
  'GHSA-9wv6-86v2-598j': ['path-to-regexp@6.3.0'],
  'GHSA-h5c3-5r3r-rr8q': ['@octokit/plugin-paginate-rest@6.1.2'],
  'GHSA-p5wg-g6qr-c7cg': ['eslint@8.57.1'],
  'GHSA-r6q2-hw4h-h46w': ['tar@6.2.1'],
  'GHSA-rmvr-2pp2-xj38': ['@octokit/request@6.2.8'],
  'GHSA-x7hr-w5r2-h6wg': ['prismjs@1.27.0'],
  'GHSA-xx4v-prfh-6cgc': [
    '@octokit/request-error@3.0.3',
    '@octokit/request-error@5.1.1',
  ],
};

const NOT_AFFECTED = [
  'GHSA-35jh-r3h4-6jhm',
  'GHSA-3h5v-q93c-6h6q',
  'GHSA-3ppc-4f35-3m26',
  'GHSA-3xgq-45jj-v275',
  'GHSA-434g-2637-qmqr',
  'GHSA-6rw7-vpxm-498p',
  'GHSA-72xf-g2v4-qvf3',
  'GHSA-76c9-3jph-rj3q',
  'GHSA-7fh5-64p2-3v2j',
  'GHSA-8cf7-32gw-wr33',
  'GHSA-8hc4-vh64-cxmj',
  'GHSA-952p-6rrq-rcjv',
  'GHSA-95m3-7q98-8xr5',
  'GHSA-9c47-m6qq-7p4h',
  'GHSA-c2qf-rxjj-qqgw',
  'GHSA-cm22-4g7w-348p',
  'GHSA-cpq7-6gpm-g9rc',
  'GHSA-fjxv-7rqg-78g4',
  'GHSA-g9mf-h72j-4rw9',
  'GHSA-grv7-fg5c-xmjg',
  'GHSA-hhhv-q57g-882q',
  'GHSA-m6fv-jmcg-4jfg',
  'GHSA-mwcw-c2x4-8c55',
  'GHSA-pxg6-pf52-xh8x',
  'GHSA-qw6h-vgh9-j6wx',
  'GHSA-qwcr-r2fm-qrc7',
  'GHSA-v6h2-p8h4-qcjw',
  'GHSA-wf5p-g6vw-rhxx',
  'GHSA-xvch-5gv4-984h',
  'GHSA-xxjr-mmjv-4gpg',
];
const WITHDRAWN = 'GHSA-qmq6-f8pr-cx5x';

describe('matching the real advisories against the real lockfile', () => {
  let sbom: string;
  let read: Awaited<ReturnType<typeof readCycloneDxSbom>>;
  let components: typeof read.components;

  beforeAll(async () => {
    const lockfile = fs.readFileSync(
      path.join(fixtures, 'yarn.lock.7dff650d'),
      'utf8',
    );
    sbom = cycloneDxFromYarnLock(lockfile, {
      name: 'security-management-root',
      version: '7dff650d',
    });
    read = await readCycloneDxSbom(sbom);
    components = read.components;
  });

  it('reads every resolved npm package version of the lockfile back from the SBOM', () => {
    const doc = JSON.parse(sbom);
    expect(read.warnings).toEqual([]);
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(doc.metadata.component).toMatchObject({
      type: 'application',
      name: 'security-management-root',
    });
    expect(components.length).toBe(doc.components.length);
    expect(components.length).toBeGreaterThan(2500);
    const versionsOf = (name: string) =>
      components
        .filter(c => c.name === name)
        .map(c => c.version)
        .sort();
    // The lockfile's versions, as the README lists them.
    expect(versionsOf('tar')).toEqual(['6.2.1', '7.5.23']);
    expect(versionsOf('uuid')).toEqual(['10.0.0', '3.4.0', '8.3.2', '9.0.1']);
    expect(versionsOf('@octokit/request-error')).toEqual(['3.0.3', '5.1.1']);
    expect(versionsOf('prismjs')).toEqual(['1.27.0', '1.30.0']);
    expect(components).toContainEqual({
      ecosystem: 'npm',
      name: '@octokit/request',
      version: '6.2.8',
      purl: 'pkg:npm/%40octokit/request@6.2.8',
    });
    // patch: resolutions are the npm version they patch; workspaces are not packages.
    expect(versionsOf('typescript')).toEqual(['5.8.3', '5.9.3']);
    expect(components.some(c => c.name.startsWith('@open-itsm/'))).toBe(false);
  });

  it('finds exactly the affected advisories and package versions of the table', () => {
    const feed = parseOsvFeed(osvFiles());
    expect(feed.advisories).toHaveLength(41);
    expect(feed.warnings).toEqual([]);

    const index = new AdvisoryIndex(feed.advisories);
    expect(index.size).toBe(40);

    const started = performance.now();
    const reasons = index.match({ components });
    const elapsed = performance.now() - started;
    // Printed for the record: the timing of one entity with the whole lockfile.
    process.stdout.write(
      `matched ${components.length} components against ${
        index.size
      } advisories in ${elapsed.toFixed(1)} ms\n`,
    );

    const found: Record<string, string[]> = {};
    for (const r of reasons) {
      (found[r.advisoryId] ??= []).push(`${r.package}@${r.installedVersion}`);
    }
    expect(found).toEqual(EXPECTED);
    expect(Object.keys(found)).toHaveLength(10);
    for (const id of NOT_AFFECTED) expect(found[id]).toBeUndefined();
    expect(NOT_AFFECTED).toHaveLength(30);
    expect(found[WITHDRAWN]).toBeUndefined();
  });

  it('says for each match the package, the installed version and the range', () => {
    const index = new AdvisoryIndex(parseOsvFeed(osvFiles()).advisories);
    const reasons = index.match({ components });
    const rows = reasons.map(
      r =>
        `${r.advisoryId} ${r.package}@${r.installedVersion} ${r.affectedRange}`,
    );
    expect(rows).toEqual([
      'GHSA-34x7-hfp2-rc4v tar@6.2.1 <7.5.7',
      'GHSA-848j-6mx2-7j84 elliptic@6.6.1 <=6.6.1',
      'GHSA-8qq5-rm4j-mr97 tar@6.2.1 <7.5.3',
      // The README's note: the wider range of this file version contains 6.3.0.
      'GHSA-9wv6-86v2-598j path-to-regexp@6.3.0 >=4.0.0 <8.0.0',
      'GHSA-h5c3-5r3r-rr8q @octokit/plugin-paginate-rest@6.1.2 >=1.0.0 <11.4.1',
      'GHSA-p5wg-g6qr-c7cg eslint@8.57.1 <9.26.0',
      'GHSA-r6q2-hw4h-h46w tar@6.2.1 <7.5.4',
      'GHSA-rmvr-2pp2-xj38 @octokit/request@6.2.8 >=1.0.0 <8.4.1',
      'GHSA-x7hr-w5r2-h6wg prismjs@1.27.0 <1.30.0',
      'GHSA-xx4v-prfh-6cgc @octokit/request-error@3.0.3 >=1.0.0 <6.1.7',
      'GHSA-xx4v-prfh-6cgc @octokit/request-error@5.1.1 >=1.0.0 <6.1.7',
    ]);
    expect(reasons[0]).toEqual({
      advisoryId: 'GHSA-34x7-hfp2-rc4v',
      ecosystem: 'npm',
      package: 'tar',
      purl: 'pkg:npm/tar@6.2.1',
      installedVersion: '6.2.1',
      affectedRange: '<7.5.7',
      source: 'sbom',
    });
  });

  it('would report the withdrawn advisory if it were not withdrawn', () => {
    const withdrawn = parseOsvFeed(osvFiles()).advisories.find(
      a => a.id === WITHDRAWN,
    )!;
    expect(withdrawn.withdrawnAt).toBe('2026-05-05T12:59:17.000Z');
    const index = new AdvisoryIndex([{ ...withdrawn, withdrawnAt: undefined }]);
    expect(
      index
        .match({ components })
        .map(r => `${r.package}@${r.installedVersion}`),
    ).toEqual(['uuid@10.0.0', 'uuid@3.4.0', 'uuid@8.3.2', 'uuid@9.0.1']);
  });

  it('reads the severities GitHub gives and carries the KEV catalog alongside', () => {
    const feed = parseOsvFeed(osvFiles());
    const severity = Object.fromEntries(
      feed.advisories.map(a => [a.id, a.severity]),
    );
    expect(severity['GHSA-95m3-7q98-8xr5']).toBe('critical');
    expect(severity['GHSA-72xf-g2v4-qvf3']).toBe('moderate');
    expect(severity['GHSA-3xgq-45jj-v275']).toBe('low');
    expect(Object.values(severity)).not.toContain('unknown');

    const kev = parseKevCatalog(
      fs.readFileSync(
        path.join(fixtures, 'kev/known_exploited_vulnerabilities.json'),
      ),
    );
    const index = new AdvisoryIndex([...feed.advisories, ...kev.advisories]);
    // None of these npm advisories is a known exploited CVE.
    expect(feed.advisories.filter(a => index.knownExploitedFor(a.id))).toEqual(
      [],
    );
    expect(index.knownExploitedFor('CVE-2021-44228')).toMatchObject({
      vendorProject: 'Apache',
      product: 'Log4j2',
    });
  });
});
