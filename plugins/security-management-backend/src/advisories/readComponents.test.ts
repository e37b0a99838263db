import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KEV_PRODUCTS,
  ANNOTATION_PURLS,
  ANNOTATION_SBOM,
} from '@open-itsm/plugin-security-management-common';
import { createMemoryUrlReader } from '../__testUtils__/memoryUrlReader';
import { readEntityComponents, resolveSbomLocation } from './readComponents';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const REF = 'component:default/shop';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
    spec: {},
  };
}

const sbom = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  components: [
    {
      type: 'library',
      name: 'tar',
      version: '6.2.1',
      purl: 'pkg:npm/tar@6.2.1',
    },
    { type: 'library', name: 'left-pad' },
  ],
});

describe('resolveSbomLocation', () => {
  it('takes a URL as it is and a relative path from the catalog file', () => {
    const at = (location: string) =>
      entity({ 'backstage.io/managed-by-location': location });
    expect(
      resolveSbomLocation(
        at('url:https://x.example.com/a/catalog-info.yaml'),
        'https://ci.example.com/sbom.json',
      ),
    ).toBe('https://ci.example.com/sbom.json');
    expect(
      resolveSbomLocation(
        at('url:https://github.com/acme/shop/blob/main/catalog-info.yaml'),
        './build/sbom.cdx.json',
      ),
    ).toBe('https://github.com/acme/shop/blob/main/build/sbom.cdx.json');
    expect(
      resolveSbomLocation(
        at('file:/srv/catalog/shop/catalog-info.yaml'),
        '../sboms/shop.json',
      ),
    ).toBe('file:///srv/catalog/sboms/shop.json');
  });

  it('says why a relative path cannot be resolved', () => {
    expect(() => resolveSbomLocation(entity({}), 'sbom.json')).toThrow(
      "'sbom.json' is a relative path, but the entity has no location to resolve it against",
    );
    expect(() =>
      resolveSbomLocation(
        entity({ 'backstage.io/managed-by-location': 'github-discovery:acme' }),
        'sbom.json',
      ),
    ).toThrow("a 'github-discovery' location cannot resolve it; use a URL");
  });
});

describe('readEntityComponents', () => {
  it('reads the SBOM, the purls and the KEV products together', async () => {
    const reader = createMemoryUrlReader({
      'https://ci.example.com/shop/sbom.json': sbom,
    });
    const read = await readEntityComponents({
      entity: entity({
        [ANNOTATION_SBOM]: 'https://ci.example.com/shop/sbom.json',
        [ANNOTATION_PURLS]:
          'pkg:npm/express@4.22.3\npkg:npm/%40octokit/request@6.2.8',
        [ANNOTATION_KEV_PRODUCTS]: 'Apache:Superset; Microsoft:Exchange Server',
      }),
      entityRef: REF,
      reader,
      now: NOW,
    });
    expect(read.complete).toBe(true);
    expect(
      read.components.map(
        c => `${c.source} ${c.component.name}@${c.component.version}`,
      ),
    ).toEqual([
      'sbom tar@6.2.1',
      'purl express@4.22.3',
      'purl @octokit/request@6.2.8',
    ]);
    expect(read.products).toEqual([
      { vendor: 'Apache', product: 'Superset' },
      { vendor: 'Microsoft', product: 'Exchange Server' },
    ]);
    expect(read.sources).toEqual([
      {
        entityRef: REF,
        kind: 'sbom',
        location: 'https://ci.example.com/shop/sbom.json',
        status: 'ok',
        warnings: ['1 component without a purl'],
        componentCount: 1,
        readAt: NOW.toISOString(),
      },
      {
        entityRef: REF,
        kind: 'purl',
        location: ANNOTATION_PURLS,
        status: 'ok',
        warnings: [],
        componentCount: 2,
        readAt: NOW.toISOString(),
      },
      {
        entityRef: REF,
        kind: 'kev-product',
        location: ANNOTATION_KEV_PRODUCTS,
        status: 'ok',
        warnings: [],
        componentCount: 2,
        readAt: NOW.toISOString(),
      },
    ]);
  });

  it('is incomplete when a source cannot be read, and says why, keeping what could be read', async () => {
    const reader = createMemoryUrlReader();
    const read = await readEntityComponents({
      entity: entity({
        'backstage.io/managed-by-location':
          'url:https://git.example.com/shop/catalog-info.yaml',
        [ANNOTATION_SBOM]: 'sbom.json',
        [ANNOTATION_PURLS]:
          'pkg:npm/tar@6.2.1, pkg:npm/express, pkg:pypi/django@4.2.0',
        [ANNOTATION_KEV_PRODUCTS]: 'Superset',
      }),
      entityRef: REF,
      reader,
      now: NOW,
    });
    expect(read.complete).toBe(false);
    expect(read.components.map(c => c.component.purl)).toEqual([
      'pkg:npm/tar@6.2.1',
    ]);
    expect(read.products).toEqual([]);
    expect(
      read.sources.map(s => [s.kind, s.status, s.location, s.error]),
    ).toEqual([
      [
        'sbom',
        'error',
        'https://git.example.com/shop/sbom.json',
        'The SBOM could not be used: https://git.example.com/shop/sbom.json could not be read: no such file',
      ],
      [
        'purl',
        'error',
        ANNOTATION_PURLS,
        expect.stringMatching(
          /^Some package URLs could not be used: pkg:npm\/express has no version.*; pkg:pypi\/django@4\.2\.0: type "pypi" cannot be matched/,
        ),
      ],
      [
        'kev-product',
        'error',
        ANNOTATION_KEV_PRODUCTS,
        expect.stringContaining('"Superset" is not Vendor:Product'),
      ],
    ]);
  });
});
