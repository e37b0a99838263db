import { FeedFormatError } from './errors';
import { parseOsvFeed } from './osvFeed';

function record(id: string, affected: unknown[], extra: object = {}) {
  return {
    schema_version: '1.4.0',
    id,
    modified: '2024-09-10T19:41:04Z',
    published: '2024-09-09T20:19:15Z',
    aliases: [`CVE-2024-${id.slice(-4)}`],
    summary: `Summary of ${id}`,
    affected,
    references: [{ type: 'WEB', url: `https://example.com/${id}` }],
    database_specific: { severity: 'HIGH' },
    ...extra,
  };
}

const npm = (name: string) => ({
  package: { ecosystem: 'npm', name },
  ranges: [
    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] },
  ],
});
const other = (ecosystem: string) => ({
  package: { ecosystem, name: 'x' },
  ranges: [
    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] },
  ],
});

const file = (path: string, value: unknown) => ({
  path,
  content: Buffer.from(JSON.stringify(value)),
});

describe('parseOsvFeed', () => {
  it('reads records one per file or as an array in a file, sorted by id', () => {
    const result = parseOsvFeed([
      file('b.json', record('GHSA-bbbb-bbbb-bbbb', [npm('b')])),
      file('all.json', [
        record('GHSA-aaaa-aaaa-aaaa', [npm('a')]),
        record('GHSA-cccc-cccc-cccc', [npm('c')]),
      ]),
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.advisories.map(a => a.id)).toEqual([
      'GHSA-aaaa-aaaa-aaaa',
      'GHSA-bbbb-bbbb-bbbb',
      'GHSA-cccc-cccc-cccc',
    ]);
    expect(result.advisories[0]).toEqual({
      id: 'GHSA-aaaa-aaaa-aaaa',
      source: 'osv',
      summary: 'Summary of GHSA-aaaa-aaaa-aaaa',
      details: undefined,
      severity: 'high',
      aliases: ['CVE-2024-aaaa'],
      publishedAt: '2024-09-09T20:19:15.000Z',
      modifiedAt: '2024-09-10T19:41:04.000Z',
      withdrawnAt: undefined,
      references: ['https://example.com/GHSA-aaaa-aaaa-aaaa'],
      affected: [
        {
          ecosystem: 'npm',
          name: 'a',
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: [{ introduced: '0' }, { fixed: '1.0.0' }],
            },
          ],
          versions: [],
        },
      ],
    });
  });

  it('drops the ecosystems it cannot compare, with one counted warning per feed', () => {
    const result = parseOsvFeed([
      file('1.json', record('GHSA-1111-1111-1111', [other('PyPI'), npm('a')])),
      file(
        '2.json',
        record('GHSA-2222-2222-2222', [other('PyPI'), other('PyPI')]),
      ),
      file('3.json', record('GHSA-3333-3333-3333', [other('Maven')])),
      file(
        '4.json',
        record('GHSA-4444-4444-4444', [other('Debian:11'), other('Debian:12')]),
      ),
      file(
        '5.json',
        record('GHSA-5555-5555-5555', [
          { ...npm('r'), package: { ecosystem: 'crates.io', name: 'r' } },
        ]),
      ),
    ]);
    expect(result.warnings).toEqual([
      '4 records name ecosystems this feed cannot match: PyPI (2), Debian (1), Maven (1) (matched: npm, crates.io, Go, Hex, Pub)',
    ]);
    expect(
      result.advisories.map(a => a.affected.map(p => p.ecosystem)),
    ).toEqual([['npm'], [], [], [], ['crates.io']]);
  });

  it('refuses a whole feed when one file is not JSON, naming the file', () => {
    expect(() =>
      parseOsvFeed([
        file('ok.json', record('GHSA-1111-1111-1111', [npm('a')])),
        { path: 'advisories/broken.json', content: '{"id": "GHSA-' },
      ]),
    ).toThrow(new RegExp('^advisories/broken\\.json is not valid JSON'));
    expect(() =>
      parseOsvFeed([{ path: 'x.json', content: 'not json' }]),
    ).toThrow(FeedFormatError);
  });

  it('refuses a file that is not an OSV record, naming the file and the field', () => {
    expect(() => parseOsvFeed([file('a.json', { hello: 'world' })])).toThrow(
      'a.json: id: ',
    );
    expect(() =>
      parseOsvFeed([
        file('list.json', [
          record('GHSA-1111-1111-1111', [npm('a')]),
          record('GHSA-2222-2222-2222', [
            {
              package: { ecosystem: 'npm', name: 'b' },
              ranges: [{ type: 'ECOSYSTEM', events: 'oops' }],
            },
          ]),
        ]),
      ]),
    ).toThrow('list.json[1]: affected[0].ranges[0].events: ');
    expect(() => parseOsvFeed([file('n.json', 42)])).toThrow(FeedFormatError);
    expect(() => parseOsvFeed([])).toThrow(FeedFormatError);
  });

  it('keeps withdrawn advisories with the time they were withdrawn', () => {
    const [adv] = parseOsvFeed([
      file(
        'w.json',
        record('GHSA-wwww-wwww-wwww', [npm('a')], {
          withdrawn: '2026-05-05T12:59:17Z',
        }),
      ),
    ]).advisories;
    expect(adv.withdrawnAt).toBe('2026-05-05T12:59:17.000Z');
  });

  it('ignores GIT ranges and counts packages left with none', () => {
    const result = parseOsvFeed([
      file(
        'g.json',
        record('GHSA-gggg-gggg-gggg', [
          {
            package: { ecosystem: 'Go', name: 'github.com/a/b' },
            ranges: [
              {
                type: 'GIT',
                repo: 'https://github.com/a/b',
                events: [{ introduced: '0' }, { fixed: 'abc123' }],
              },
              {
                type: 'SEMVER',
                events: [{ introduced: '0' }, { fixed: '1.2.3' }],
              },
            ],
          },
          {
            package: { ecosystem: 'npm', name: 'gitonly' },
            ranges: [
              {
                type: 'GIT',
                repo: 'https://github.com/a/c',
                events: [{ introduced: '0' }],
              },
            ],
          },
          {
            ranges: [
              {
                type: 'GIT',
                repo: 'https://github.com/a/d',
                events: [{ introduced: '0' }],
              },
            ],
          },
        ]),
      ),
    ]);
    expect(result.advisories[0].affected).toEqual([
      {
        ecosystem: 'Go',
        name: 'github.com/a/b',
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] },
        ],
        versions: [],
      },
    ]);
    expect(result.warnings).toEqual([
      '1 affected package has only GIT ranges, which are not matched',
    ]);
  });

  it('counts ranges with unreadable versions, and keeps the record modified last of a duplicate id', () => {
    const older = record('GHSA-dddd-dddd-dddd', [npm('old')], {
      modified: '2024-01-01T00:00:00Z',
    });
    const newer = record('GHSA-dddd-dddd-dddd', [npm('new')], {
      modified: '2025-01-01T00:00:00Z',
    });
    const result = parseOsvFeed([
      file('new.json', newer),
      file('old.json', older),
      file(
        'bad.json',
        record('GHSA-bbbb-bbbb-bbbb', [
          {
            package: { ecosystem: 'npm', name: 'x' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'one' }] }],
          },
        ]),
      ),
    ]);
    expect(
      result.advisories.find(a => a.id === 'GHSA-dddd-dddd-dddd')?.affected[0]
        .name,
    ).toBe('new');
    expect(result.warnings).toEqual([
      '1 range has a version semver cannot read; they match nothing',
      '1 advisory appears more than once; the one modified last is kept: GHSA-dddd-dddd-dddd',
    ]);
  });

  it('takes the severity from GitHub, else from the newest CVSS vector, else unknown', () => {
    const severity = (extra: object) =>
      parseOsvFeed([
        file('s.json', record('GHSA-ssss-ssss-ssss', [npm('a')], extra)),
      ]).advisories[0].severity;
    expect(severity({ database_specific: { severity: 'MODERATE' } })).toBe(
      'moderate',
    );
    expect(severity({ database_specific: { severity: 'CRITICAL' } })).toBe(
      'critical',
    );
    expect(
      severity({
        database_specific: {},
        severity: [
          {
            type: 'CVSS_V3',
            score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
          },
          {
            type: 'CVSS_V4',
            score:
              'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
          },
        ],
      }),
    ).toBe('critical');
    expect(
      severity({
        database_specific: undefined,
        severity: [
          {
            type: 'CVSS_V3',
            score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
          },
        ],
      }),
    ).toBe('moderate');
    expect(
      severity({
        database_specific: undefined,
        severity: [{ type: 'CVSS_V3', score: 'garbage' }],
      }),
    ).toBe('unknown');
    expect(severity({ database_specific: undefined, severity: [] })).toBe(
      'unknown',
    );
  });

  it('keeps at most 20 references, without repeats', () => {
    const references = Array.from({ length: 30 }, (_, i) => ({
      type: 'WEB',
      url: `https://example.com/${i % 25}`,
    }));
    const [adv] = parseOsvFeed([
      file('r.json', record('GHSA-rrrr-rrrr-rrrr', [npm('a')], { references })),
    ]).advisories;
    expect(adv.references).toHaveLength(20);
    expect(new Set(adv.references).size).toBe(20);
  });
});
