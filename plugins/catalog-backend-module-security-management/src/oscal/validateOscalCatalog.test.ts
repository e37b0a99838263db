import {
  BASIC_CATALOG,
  fixtureJson,
  LOW_BASELINE,
} from './__testUtils__/fixtures';
import {
  describeOscalProblems,
  oscalCatalogProblems,
} from './validateOscalCatalog';

describe("oscalCatalogProblems, by NIST's OSCAL 1.0.6 catalog schema", () => {
  it('finds the real NIST catalogs valid', () => {
    expect(oscalCatalogProblems(fixtureJson(LOW_BASELINE))).toEqual([]);
    expect(oscalCatalogProblems(fixtureJson(BASIC_CATALOG))).toEqual([]);
  });

  it('names where a document breaks the schema', () => {
    const document = fixtureJson(LOW_BASELINE);
    delete document.catalog.groups[0].controls[1].title;
    document.catalog.groups[2].controls[0].id = 'not an id';
    const problems = oscalCatalogProblems(document);
    expect(problems).toContain(
      "/catalog/groups/0/controls/1 must have required property 'title'",
    );
    expect(
      problems.some(p => p.startsWith('/catalog/groups/2/controls/0/id')),
    ).toBe(true);
  });

  it('refuses what is not a catalog, and says so of a profile', () => {
    expect(oscalCatalogProblems({ hello: 'world' })).toContain(
      "/ must have required property 'catalog'",
    );
    expect(oscalCatalogProblems({ profile: { imports: [] } })).toEqual([
      expect.stringContaining(
        'the document is an OSCAL profile, not a catalog; import the resolved profile catalog',
      ),
    ]);
  });

  it('quotes a few problems and counts the rest', () => {
    expect(describeOscalProblems(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe(
      "not a valid OSCAL catalog by NIST's OSCAL 1.0.6 catalog JSON schema: a; b; c; d; e; and 2 more",
    );
  });
});
