import { ComponentSourceError } from './errors';
import { readCycloneDxSbom } from './cycloneDxSbom';

function sbom(components: unknown[], extra: object = {}) {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      component: {
        type: 'application',
        name: 'my-service',
        purl: 'pkg:npm/my-service@1.0.0',
      },
    },
    components,
    ...extra,
  });
}

const lib = (name: string, purl?: string, more: object = {}) => ({
  type: 'library',
  name,
  ...(purl ? { purl } : {}),
  ...more,
});

describe('readCycloneDxSbom', () => {
  it('reads the components with their purls, nested ones included, once each', async () => {
    const result = await readCycloneDxSbom(
      Buffer.from(
        sbom([
          lib('request', 'pkg:npm/%40octokit/request@6.2.8', {
            group: '@octokit',
            components: [lib('tar', 'pkg:npm/tar@6.2.1')],
          }),
          lib('tar', 'pkg:npm/tar@6.2.1'),
          // The same package version, its purl written another way.
          lib('request', 'pkg:npm/@octokit/request@6.2.8', {
            group: '@octokit',
          }),
          lib('serde', 'pkg:cargo/serde@1.0.100'),
          lib('bar', 'pkg:golang/github.com/foo/bar@v1.2.3'),
        ]),
      ),
    );
    expect(result.warnings).toEqual([]);
    expect(result.components).toEqual([
      {
        ecosystem: 'npm',
        name: '@octokit/request',
        version: '6.2.8',
        purl: 'pkg:npm/%40octokit/request@6.2.8',
      },
      {
        ecosystem: 'npm',
        name: 'tar',
        version: '6.2.1',
        purl: 'pkg:npm/tar@6.2.1',
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
    ]);
  });

  it('counts the components it cannot match, one warning per kind', async () => {
    const result = await readCycloneDxSbom(
      sbom([
        lib('no-purl'),
        lib('no-purl-either'),
        lib('bad', 'npm/left-pad@1.0.0'),
        lib('noversion', 'pkg:npm/left-pad'),
        lib('django', 'pkg:pypi/django@4.2.0'),
        lib('flask', 'pkg:pypi/flask@2.0.0'),
        lib('spring', 'pkg:maven/org.springframework/spring-core@5.3.0'),
        lib('ok', 'pkg:npm/ok@1.0.0'),
      ]),
    );
    expect(result.components.map(c => c.name)).toEqual(['ok']);
    expect(result.warnings).toEqual([
      '2 components without a purl',
      '1 component with a purl that cannot be read',
      '1 component with a purl without a version',
      '3 components of package types that cannot be matched: pypi (2), maven (1)',
    ]);
  });

  it('accepts a large SBOM that repeats its components, listing each package version once', async () => {
    // Every component twice, as the same item: the schema's uniqueItems
    // would refuse the list (see cycloneDxSbom.ts), and matching wants each
    // package version once, in the order the SBOM gives them.
    const components = Array.from({ length: 20_000 }, (_, i) =>
      lib(`pkg-${i % 10_000}`, `pkg:npm/pkg-${i % 10_000}@1.0.0`),
    );
    const result = await readCycloneDxSbom(sbom(components));
    expect(result.warnings).toEqual([]);
    expect(result.components).toEqual(
      Array.from({ length: 10_000 }, (_, i) => ({
        ecosystem: 'npm',
        name: `pkg-${i}`,
        version: '1.0.0',
        purl: `pkg:npm/pkg-${i}@1.0.0`,
      })),
    );
  });

  it('checks license ids and hash contents exactly as the official schema says', async () => {
    // The SPDX id list and the hash pattern are checked by faster means than
    // ajv's own (see cycloneDxSbom.ts): they accept and refuse the same.
    const withLicense = (license: object) =>
      sbom([lib('a', 'pkg:npm/a@1.0.0', { licenses: [{ license }] })]);
    const withHash = (content: unknown) =>
      sbom([
        lib('a', 'pkg:npm/a@1.0.0', {
          hashes: [{ alg: 'SHA-256', content }],
        }),
      ]);
    for (const id of ['MIT', 'Apache-2.0', '0BSD', 'BSD-3-Clause']) {
      await expect(readCycloneDxSbom(withLicense({ id }))).resolves.toEqual(
        expect.objectContaining({ warnings: [] }),
      );
    }
    await expect(
      readCycloneDxSbom(withLicense({ name: 'Our own licence' })),
    ).resolves.toEqual(expect.objectContaining({ warnings: [] }));
    for (const id of ['mit', 'MIT ', 'Not-A-License', 7]) {
      await expect(readCycloneDxSbom(withLicense({ id }))).rejects.toThrow(
        /^The SBOM does not follow the CycloneDX 1\.5 schema: \/components\/0\/licenses\/0\/license\/id must/,
      );
    }
    for (const length of [32, 40, 64, 96, 128]) {
      await expect(
        readCycloneDxSbom(withHash('aB0'.repeat(50).slice(0, length))),
      ).resolves.toEqual(expect.objectContaining({ warnings: [] }));
    }
    for (const content of [
      'a'.repeat(31),
      'a'.repeat(33),
      'a'.repeat(48),
      'a'.repeat(129),
      `${'a'.repeat(63)}g`,
      `${'a'.repeat(63)}\n`,
      '',
    ]) {
      await expect(readCycloneDxSbom(withHash(content))).rejects.toThrow(
        'The SBOM does not follow the CycloneDX 1.5 schema: /components/0/hashes/0/content must match pattern',
      );
    }
  });

  it('refuses what is not JSON', async () => {
    await expect(readCycloneDxSbom('<bom/>')).rejects.toThrow(
      new ComponentSourceError(
        `The SBOM is not JSON: Unexpected token '<', "<bom/>" is not valid JSON`,
      ),
    );
  });

  it('refuses JSON that is not CycloneDX', async () => {
    await expect(
      readCycloneDxSbom(JSON.stringify({ spdxVersion: 'SPDX-2.3' })),
    ).rejects.toThrow(
      'The SBOM is not a CycloneDX document: bomFormat is missing, not "CycloneDX"',
    );
    await expect(readCycloneDxSbom('[1, 2]')).rejects.toThrow(
      'The SBOM is not a CycloneDX document: it is not a JSON object',
    );
    await expect(
      readCycloneDxSbom(
        JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.1' }),
      ),
    ).rejects.toThrow(
      'CycloneDX specVersion "1.1" cannot be read: JSON SBOMs of versions 1.2, 1.3, 1.4, 1.5, 1.6, 1.7 can',
    );
  });

  it('refuses an SBOM that fails the official schema, saying where', async () => {
    await expect(
      readCycloneDxSbom(
        sbom([lib('ok', 'pkg:npm/ok@1.0.0'), { type: 'library' }]),
      ),
    ).rejects.toThrow(
      "The SBOM does not follow the CycloneDX 1.5 schema: /components/1 must have required property 'name'",
    );
    await expect(
      readCycloneDxSbom(sbom([{ type: 'gizmo', name: 'x' }])),
    ).rejects.toThrow(ComponentSourceError);
  });
});
