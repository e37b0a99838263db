import { AdvisoryIndex } from './AdvisoryIndex';
import { parsePurlList } from './purls';
import {
  AdvisoryMatchReason,
  Component,
  KnownExploited,
  ParsedAdvisory,
} from './types';

function osv(
  id: string,
  name: string,
  fixed: string,
  extra: Partial<ParsedAdvisory> = {},
): ParsedAdvisory {
  return {
    id,
    source: 'osv',
    summary: id,
    severity: 'high',
    aliases: [],
    references: [],
    affected: [
      {
        ecosystem: 'npm',
        name,
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] },
        ],
        versions: [],
      },
    ],
    ...extra,
  };
}

function kev(
  cve: string,
  vendorProject: string,
  product: string,
): ParsedAdvisory {
  return {
    id: cve,
    source: 'kev',
    summary: `${vendorProject} ${product}`,
    severity: 'unknown',
    aliases: [],
    references: [],
    affected: [],
    knownExploited: {
      vendorProject,
      product,
      dateAdded: '2021-12-10',
      dueDate: '2021-12-24',
      requiredAction: 'Apply updates per vendor instructions.',
      knownRansomwareCampaignUse: 'Known',
    },
  };
}

const npm = (name: string, version: string): Component => ({
  ecosystem: 'npm',
  name,
  version,
  purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
});

describe('AdvisoryIndex', () => {
  it('leaves withdrawn advisories out', () => {
    const index = new AdvisoryIndex([
      osv('GHSA-live', 'uuid', '14.0.0'),
      osv('GHSA-gone', 'uuid', '14.0.0', {
        withdrawnAt: '2026-05-05T12:59:17.000Z',
      }),
    ]);
    expect(index.size).toBe(1);
    expect(
      index
        .match({ components: [npm('uuid', '9.0.1')] })
        .map(r => r.advisoryId),
    ).toEqual(['GHSA-live']);
  });

  it('gives one reason per advisory and component, in a stable order, with its source', () => {
    const index = new AdvisoryIndex([
      osv('GHSA-b', 'tar', '7.5.7'),
      osv('GHSA-a', 'tar', '7.5.3'),
      osv('GHSA-c', '@octokit/request', '8.4.1'),
    ]);
    const components = [
      npm('tar', '7.5.23'),
      npm('tar', '6.2.1'),
      npm('@octokit/request', '6.2.8'),
      npm('tar', '6.2.1'),
      npm('left-pad', '1.0.0'),
    ];
    const bySource = (list: Component[]) => ({
      components: list.filter(c => c.name === 'tar'),
      purlComponents: list.filter(c => c.name !== 'tar'),
    });
    const reasons = index.match(bySource(components));
    expect(reasons).toEqual([
      {
        advisoryId: 'GHSA-a',
        ecosystem: 'npm',
        package: 'tar',
        purl: 'pkg:npm/tar@6.2.1',
        installedVersion: '6.2.1',
        affectedRange: '<7.5.3',
        source: 'sbom',
      },
      {
        advisoryId: 'GHSA-b',
        ecosystem: 'npm',
        package: 'tar',
        purl: 'pkg:npm/tar@6.2.1',
        installedVersion: '6.2.1',
        affectedRange: '<7.5.7',
        source: 'sbom',
      },
      {
        advisoryId: 'GHSA-c',
        ecosystem: 'npm',
        package: '@octokit/request',
        purl: 'pkg:npm/%40octokit/request@6.2.8',
        installedVersion: '6.2.8',
        affectedRange: '<8.4.1',
        source: 'purl',
      },
    ]);
    // The same answer in any order of components, and when asked again.
    expect(index.match(bySource([...components].reverse()))).toEqual(reasons);
    expect(index.match({ components: [] })).toEqual([]);
  });

  it('matches KEV entries by vendor and product, without regard to case or spaces', () => {
    const index = new AdvisoryIndex([
      kev('CVE-2021-44228', 'Apache', 'Log4j2'),
      kev('CVE-2021-45046', 'Apache', 'Log4j2'),
      kev('CVE-2021-26855', 'Microsoft', 'Exchange Server'),
    ]);
    expect(
      index.match({
        components: [],
        products: [
          { vendor: 'apache', product: 'LOG4J2' },
          { vendor: 'Microsoft', product: 'Exchange  Server ' },
          { vendor: 'Microsoft', product: 'Exchange' },
        ],
      }),
    ).toEqual([
      {
        advisoryId: 'CVE-2021-26855',
        ecosystem: 'kev',
        package: 'Microsoft:Exchange Server',
        installedVersion: 'unknown',
        affectedRange:
          'all versions (the KEV catalog names products, not versions)',
        source: 'kev-product',
      },
      expect.objectContaining({
        advisoryId: 'CVE-2021-44228',
        package: 'Apache:Log4j2',
      }),
      expect.objectContaining({
        advisoryId: 'CVE-2021-45046',
        package: 'Apache:Log4j2',
      }),
    ]);
  });

  it('carries the KEV flag over to an OSV advisory whose aliases name the CVE', () => {
    const log4j = kev('CVE-2021-44228', 'Apache', 'Log4j2');
    const ghsa = osv('GHSA-jfh8-c2jp-5v3q', 'log4js-fake', '2.15.0', {
      aliases: ['CVE-2021-44228'],
    });
    const other = osv('GHSA-other', 'tar', '7.5.7', {
      aliases: ['CVE-2024-0001'],
    });
    const index = new AdvisoryIndex([ghsa, other, log4j]);
    const expected: KnownExploited = log4j.knownExploited!;
    expect(index.knownExploitedFor('GHSA-jfh8-c2jp-5v3q')).toEqual(expected);
    expect(index.knownExploitedFor('CVE-2021-44228')).toEqual(expected);
    expect(index.knownExploitedFor('GHSA-other')).toBeUndefined();
    expect(index.knownExploitedFor('GHSA-unknown')).toBeUndefined();
    // The OSV advisory still matches by package, and reports as itself.
    expect(
      index
        .match({ components: [npm('log4js-fake', '2.14.0')] })
        .map(r => r.advisoryId),
    ).toEqual(['GHSA-jfh8-c2jp-5v3q']);
    // Without the KEV catalog there is no flag.
    expect(
      new AdvisoryIndex([ghsa]).knownExploitedFor(ghsa.id),
    ).toBeUndefined();
  });

  it('ignores components of ecosystems it does not match', () => {
    const index = new AdvisoryIndex([osv('GHSA-a', 'requests', '2.0.0')]);
    expect(
      index.match({
        components: [
          { ecosystem: 'PyPI', name: 'requests', version: '1.0.0', purl: '' },
        ],
      }),
    ).toEqual([]);
  });

  it('answers from its own advisories for components another index matched before', () => {
    // Components read from purls are shared, and remember the answer of
    // the index that last matched them: a new feed state must not reuse it.
    const { components } = parsePurlList(
      'pkg:npm/tar@6.2.1 pkg:npm/uuid@9.0.1',
    );
    const before = new AdvisoryIndex([osv('GHSA-a', 'tar', '7.5.3')]);
    const after = new AdvisoryIndex([osv('GHSA-u', 'uuid', '10.0.0')]);
    const ids = (index: AdvisoryIndex) =>
      index.match({ components }).map(reason => reason.advisoryId);
    expect(ids(before)).toEqual(['GHSA-a']);
    expect(ids(after)).toEqual(['GHSA-u']);
    expect(ids(before)).toEqual(['GHSA-a']);
    expect(ids(new AdvisoryIndex([]))).toEqual([]);
  });

  it('gives each of many entities sharing package versions exactly its own reasons', () => {
    // Four advisories per package pkg-0 … pkg-499, fixed at 1.0.0 … 7.0.0.
    const advisories = Array.from({ length: 2000 }, (_, i) =>
      osv(`GHSA-${i}`, `pkg-${i % 500}`, `${(i % 7) + 1}.0.0`),
    );
    const index = new AdvisoryIndex(advisories);
    // 500 entities of 1,000 components, most package versions shared with
    // other entities: their answers come from what the index remembers.
    const entities = Array.from({ length: 500 }, (_, e) =>
      Array.from({ length: 1000 }, (__, c) =>
        npm(`pkg-${(c + e) % 3000}`, `${c % 9}.1.0`),
      ),
    );
    const line = (r: AdvisoryMatchReason) =>
      `${r.advisoryId} ${r.package}@${r.installedVersion} ${r.affectedRange}`;
    // Worked out without the index: pkg-n (n < 500) is in advisories n,
    // n + 500, n + 1000 and n + 1500, each affecting the versions below its fix.
    const expected = (components: Component[]) =>
      components
        .flatMap(({ name, version }) => {
          const n = Number(name.slice('pkg-'.length));
          if (n >= 500) return [];
          const major = Number(version.split('.')[0]);
          return [n, n + 500, n + 1000, n + 1500].flatMap(i => {
            const fixed = (i % 7) + 1;
            return major < fixed
              ? [`GHSA-${i} ${name}@${version} <${fixed}.0.0`]
              : [];
          });
        })
        .sort();

    let total = 0;
    entities.forEach((components, entity) => {
      const reasons = index.match({ components });
      expect({ entity, reasons: reasons.map(line).sort() }).toEqual({
        entity,
        reasons: expected(components),
      });
      expect(reasons.every(r => r.source === 'sbom')).toBe(true);
      total += reasons.length;
    });
    expect(total).toBe(224_281);
  });
});
