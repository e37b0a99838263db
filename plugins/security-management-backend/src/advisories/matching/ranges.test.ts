import { AdvisoryIndex } from './AdvisoryIndex';
import { AffectedRange, Component, ParsedAdvisory } from './types';

type Events = AffectedRange['events'];

function advisory(
  affected: Array<{ events?: Events[]; versions?: string[] }>,
  options: { ecosystem?: string; name?: string } = {},
): ParsedAdvisory {
  return {
    id: 'GHSA-test',
    source: 'osv',
    summary: 'test',
    severity: 'high',
    aliases: [],
    references: [],
    affected: affected.map(a => ({
      ecosystem: options.ecosystem ?? 'npm',
      name: options.name ?? 'pkg',
      ranges: (a.events ?? []).map(events => ({ type: 'ECOSYSTEM', events })),
      versions: a.versions ?? [],
    })),
  };
}

function component(
  version: string,
  ecosystem = 'npm',
  name = 'pkg',
): Component {
  return { ecosystem, name, version, purl: '' };
}

/** The range text for each version that is affected, undefined otherwise. */
function rangesFor(adv: ParsedAdvisory, versions: string[], ecosystem = 'npm') {
  const index = new AdvisoryIndex([adv]);
  const name = adv.affected[0].name;
  return Object.fromEntries(
    versions.map(v => [
      v,
      index.match({ components: [component(v, ecosystem, name)] })[0]
        ?.affectedRange,
    ]),
  );
}

describe('OSV range semantics', () => {
  it('includes introduced and excludes fixed', () => {
    const adv = advisory([
      { events: [[{ introduced: '1.0.0' }, { fixed: '2.0.0' }]] },
    ]);
    expect(
      rangesFor(adv, ['0.9.9', '1.0.0', '1.9.9', '2.0.0', '3.0.0']),
    ).toEqual({
      '0.9.9': undefined,
      '1.0.0': '>=1.0.0 <2.0.0',
      '1.9.9': '>=1.0.0 <2.0.0',
      '2.0.0': undefined,
      '3.0.0': undefined,
    });
  });

  it('reads introduced "0" as from the first version, and an open end as every later one', () => {
    expect(
      rangesFor(
        advisory([{ events: [[{ introduced: '0' }, { fixed: '1.0.0' }]] }]),
        ['0.0.0', '0.1.0', '1.0.0'],
      ),
    ).toEqual({ '0.0.0': '<1.0.0', '0.1.0': '<1.0.0', '1.0.0': undefined });
    expect(
      rangesFor(advisory([{ events: [[{ introduced: '0' }]] }]), [
        '0.0.1',
        '99.0.0',
      ]),
    ).toEqual({ '0.0.1': 'all versions', '99.0.0': 'all versions' });
    expect(
      rangesFor(advisory([{ events: [[{ introduced: '2.0.0' }]] }]), [
        '1.0.0',
        '2.5.0',
      ]),
    ).toEqual({ '1.0.0': undefined, '2.5.0': '>=2.0.0' });
  });

  it('includes last_affected', () => {
    const adv = advisory([
      { events: [[{ introduced: '0' }, { last_affected: '6.6.1' }]] },
    ]);
    expect(rangesFor(adv, ['6.6.0', '6.6.1', '6.6.2'])).toEqual({
      '6.6.0': '<=6.6.1',
      '6.6.1': '<=6.6.1',
      '6.6.2': undefined,
    });
  });

  it('stops a range at its limit, and "*" is no limit', () => {
    const limited = advisory([
      { events: [[{ introduced: '1.0.0' }, { limit: '1.5.0' }]] },
    ]);
    expect(rangesFor(limited, ['1.2.0', '1.5.0', '2.0.0'])).toEqual({
      '1.2.0': '>=1.0.0 (limit <1.5.0)',
      '1.5.0': undefined,
      '2.0.0': undefined,
    });
    const unlimited = advisory([
      { events: [[{ introduced: '1.0.0' }, { limit: '*' }]] },
    ]);
    expect(rangesFor(unlimited, ['9.0.0'])).toEqual({ '9.0.0': '>=1.0.0' });
  });

  it('sorts the events and reads several intervals in one range', () => {
    const adv = advisory([
      {
        events: [
          [
            { fixed: '4.0.0' },
            { introduced: '3.0.0' },
            { fixed: '2.0.0' },
            { introduced: '1.0.0' },
          ],
        ],
      },
    ]);
    expect(rangesFor(adv, ['1.5.0', '2.5.0', '3.5.0', '4.0.0'])).toEqual({
      '1.5.0': '>=1.0.0 <2.0.0',
      '2.5.0': undefined,
      '3.5.0': '>=3.0.0 <4.0.0',
      '4.0.0': undefined,
    });
  });

  it('ORs several ranges and several entries of the same package', () => {
    const adv = advisory([
      {
        events: [
          [{ introduced: '0' }, { fixed: '1.0.2' }],
          [{ introduced: '2.0.0' }, { fixed: '2.2.2' }],
        ],
      },
      { events: [[{ introduced: '5.0.0' }, { fixed: '5.1.0' }]] },
    ]);
    expect(
      rangesFor(adv, ['1.0.1', '1.5.0', '2.2.1', '5.0.3', '5.1.0']),
    ).toEqual({
      '1.0.1': '<1.0.2',
      '1.5.0': undefined,
      '2.2.1': '>=2.0.0 <2.2.2',
      '5.0.3': '>=5.0.0 <5.1.0',
      '5.1.0': undefined,
    });
  });

  it('matches the versions list exactly, besides the ranges', () => {
    const adv = advisory([
      {
        events: [[{ introduced: '2.0.0' }, { fixed: '2.0.2' }]],
        versions: ['1.2.3', '2.0.1'],
      },
    ]);
    expect(rangesFor(adv, ['1.2.3', '1.2.4', '2.0.1'])).toEqual({
      '1.2.3': 'versions: 1.2.3',
      '1.2.4': undefined,
      // A version in a range gives the range.
      '2.0.1': '>=2.0.0 <2.0.2',
    });
  });

  it('orders prereleases before their release', () => {
    const adv = advisory([
      {
        events: [
          [{ introduced: '9.0.0-beta.1' }, { fixed: '9.2.1' }],
          [{ introduced: '1.0.0' }, { fixed: '2.0.0' }],
        ],
      },
    ]);
    expect(
      rangesFor(adv, [
        '9.0.0-alpha.3',
        '9.0.0-beta.1',
        '9.0.0',
        '9.2.1-rc.1',
        '9.2.1',
        '2.0.0-rc.1',
      ]),
    ).toEqual({
      '9.0.0-alpha.3': undefined,
      '9.0.0-beta.1': '>=9.0.0-beta.1 <9.2.1',
      '9.0.0': '>=9.0.0-beta.1 <9.2.1',
      '9.2.1-rc.1': '>=9.0.0-beta.1 <9.2.1',
      '9.2.1': undefined,
      '2.0.0-rc.1': '>=1.0.0 <2.0.0',
    });
  });

  it('skips versions semver cannot read, without throwing', () => {
    const adv = advisory([
      {
        events: [[{ introduced: '0' }, { fixed: '2.0.0' }]],
        versions: ['1.0.0.1'],
      },
    ]);
    expect(
      rangesFor(adv, ['latest', '1.x', '', 'not a version', '1.0.0.1']),
    ).toEqual({
      latest: undefined,
      '1.x': undefined,
      '': undefined,
      'not a version': undefined,
      // Listed verbatim: the versions list still matches it.
      '1.0.0.1': 'versions: 1.0.0.1',
    });
    // A range whose own version is unreadable matches nothing; the others still do.
    const broken = advisory([
      {
        events: [
          [{ introduced: 'one' }, { fixed: '2.0.0' }],
          [{ introduced: '3.0.0' }, { fixed: '4.0.0' }],
        ],
      },
    ]);
    expect(rangesFor(broken, ['1.0.0', '3.1.0'])).toEqual({
      '1.0.0': undefined,
      '3.1.0': '>=3.0.0 <4.0.0',
    });
  });

  it('compares Go versions with their leading v, and Go module paths by case', () => {
    const adv = advisory(
      [{ events: [[{ introduced: '0' }, { fixed: '1.2.3' }]] }],
      {
        ecosystem: 'Go',
        name: 'github.com/Foo/bar',
      },
    );
    expect(
      rangesFor(
        adv,
        ['v1.2.2', 'v1.2.3', 'v0.0.0-20200101000000-abcdef123456'],
        'Go',
      ),
    ).toEqual({
      'v1.2.2': '<1.2.3',
      'v1.2.3': undefined,
      'v0.0.0-20200101000000-abcdef123456': '<1.2.3',
    });
    const index = new AdvisoryIndex([adv]);
    expect(
      index.match({
        components: [component('v1.0.0', 'Go', 'github.com/foo/bar')],
      }),
    ).toEqual([]);
  });

  it('compares npm, crates.io, Hex and Pub names without regard to case', () => {
    for (const ecosystem of ['npm', 'crates.io', 'Hex', 'Pub']) {
      const index = new AdvisoryIndex([
        advisory([{ events: [[{ introduced: '0' }, { fixed: '1.0.0' }]] }], {
          ecosystem,
          name: 'Some_Pkg',
        }),
      ]);
      expect(
        index.match({
          components: [component('0.5.0', ecosystem, 'some_pkg')],
        }),
      ).toHaveLength(1);
    }
  });
});
