import { parsePurlList } from './purls';

describe('parsePurlList', () => {
  it('reads purls separated by commas, spaces and new lines, once each', () => {
    expect(
      parsePurlList(
        'pkg:npm/express@4.22.3, pkg:npm/%40octokit/request@6.2.8\n\tpkg:cargo/serde@1.0.100  pkg:golang/github.com/foo/bar@v1.2.3,,pkg:hex/phoenix@1.7.0\npkg:pub/http@1.1.0,pkg:npm/Express@4.22.3',
      ),
    ).toEqual({
      components: [
        {
          ecosystem: 'npm',
          name: 'express',
          version: '4.22.3',
          purl: 'pkg:npm/express@4.22.3',
        },
        {
          ecosystem: 'npm',
          name: '@octokit/request',
          version: '6.2.8',
          purl: 'pkg:npm/%40octokit/request@6.2.8',
        },
        {
          ecosystem: 'crates.io',
          name: 'serde',
          version: '1.0.100',
          purl: 'pkg:cargo/serde@1.0.100',
        },
        {
          ecosystem: 'Go',
          name: 'github.com/foo/bar',
          version: 'v1.2.3',
          purl: 'pkg:golang/github.com/foo/bar@v1.2.3',
        },
        {
          ecosystem: 'Hex',
          name: 'phoenix',
          version: '1.7.0',
          purl: 'pkg:hex/phoenix@1.7.0',
        },
        {
          ecosystem: 'Pub',
          name: 'http',
          version: '1.1.0',
          purl: 'pkg:pub/http@1.1.0',
        },
      ],
      problems: [],
    });
  });

  it('names every purl it cannot use, and why', () => {
    const { components, problems } = parsePurlList(
      'npm/left-pad@1.0.0, pkg:npm/left-pad, pkg:pypi/django@4.2.0, pkg:npm/ok@1.0.0, pkg:/@1',
    );
    expect(components.map(c => c.purl)).toEqual(['pkg:npm/ok@1.0.0']);
    expect(problems).toEqual([
      'npm/left-pad@1.0.0 is not a package URL: Invalid purl: missing required "pkg" scheme component',
      'pkg:npm/left-pad has no version (write pkg:type/name@version)',
      'pkg:pypi/django@4.2.0: type "pypi" cannot be matched (matched: npm, cargo, golang, hex, pub)',
      expect.stringMatching(/^pkg:\/@1 is not a package URL: /),
    ]);
  });

  it('shares one frozen component per package version, however its purl is written', () => {
    const [first] = parsePurlList(
      'pkg:npm/%40octokit/request@6.2.8',
    ).components;
    const [again] = parsePurlList('pkg:npm/@octokit/request@6.2.8').components;
    expect(again).toBe(first);
    expect(first).toEqual({
      ecosystem: 'npm',
      name: '@octokit/request',
      version: '6.2.8',
      purl: 'pkg:npm/%40octokit/request@6.2.8',
    });
    // Shared by every SBOM that names it, so nobody may change it.
    expect(() => {
      first.version = 'changed';
    }).toThrow(TypeError);
    expect(parsePurlList('pkg:npm/tar@6.2.1').components[0].version).toBe(
      '6.2.1',
    );
  });
});
