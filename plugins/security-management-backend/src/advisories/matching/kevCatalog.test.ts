import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { FeedFormatError } from './errors';
import { parseKevCatalog, parseKevProducts } from './kevCatalog';

const kevDir = path.resolve(__dirname, '../__fixtures__/kev');
const catalogText = fs.readFileSync(
  path.join(kevDir, 'known_exploited_vulnerabilities.json'),
  'utf8',
);
const officialSchema = JSON.parse(
  fs.readFileSync(
    path.join(kevDir, 'known_exploited_vulnerabilities_schema.json'),
    'utf8',
  ),
);

/** The verdict of CISA's own JSON schema. */
function officialVerdict(document: unknown): boolean {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.validate(officialSchema, document) as boolean;
}

function ourVerdict(document: unknown): boolean {
  try {
    parseKevCatalog(JSON.stringify(document));
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(FeedFormatError);
    return false;
  }
}

describe('parseKevCatalog', () => {
  it('reads the real catalog: 1404 known exploited CVEs of version 2025.08.25', () => {
    const result = parseKevCatalog(Buffer.from(catalogText));
    expect(result.feedVersion).toBe('2025.08.25');
    expect(result.warnings).toEqual([]);
    expect(result.advisories).toHaveLength(1404);
    expect(result.advisories.every(a => a.source === 'kev')).toBe(true);
    expect(result.advisories.every(a => a.affected.length === 0)).toBe(true);

    const log4shell = result.advisories.find(a => a.id === 'CVE-2021-44228');
    expect(log4shell).toMatchObject({
      id: 'CVE-2021-44228',
      source: 'kev',
      summary: 'Apache Log4j2 Remote Code Execution Vulnerability',
      severity: 'unknown',
      aliases: [],
      publishedAt: '2021-12-10T00:00:00.000Z',
      affected: [],
      knownExploited: {
        vendorProject: 'Apache',
        product: 'Log4j2',
        dateAdded: '2021-12-10',
        dueDate: '2021-12-24',
        knownRansomwareCampaignUse: 'Known',
      },
    });
    expect(log4shell?.details).toMatch(/Log4j2/);
    expect(log4shell?.knownExploited?.requiredAction).toMatch(/Apply updates/);
    // The URLs in the notes become references.
    const first = result.advisories.find(a => a.id === 'CVE-2025-48384');
    expect(first?.references).toContain(
      'https://nvd.nist.gov/vuln/detail/CVE-2025-48384',
    );
    expect(first?.references.every(r => /^https?:\/\//.test(r))).toBe(true);
  });

  it('refuses a broken document, naming the field and the index', () => {
    const catalog = JSON.parse(catalogText);
    const broken = (change: (c: any) => void) => {
      const copy = structuredClone(catalog);
      change(copy);
      return JSON.stringify(copy);
    };
    expect(() => parseKevCatalog('{"vulnerabilities": [')).toThrow(
      /^The KEV catalog is not valid JSON/,
    );
    expect(() =>
      parseKevCatalog(broken(c => delete c.vulnerabilities)),
    ).toThrow('The KEV catalog does not follow its schema: vulnerabilities: ');
    expect(() =>
      parseKevCatalog(broken(c => (c.vulnerabilities[7].cveID = 'CVE-21-1'))),
    ).toThrow('vulnerabilities[7].cveID: is not a CVE id');
    expect(() =>
      parseKevCatalog(broken(c => delete c.vulnerabilities[1200].dueDate)),
    ).toThrow('vulnerabilities[1200].dueDate: ');
    expect(() => parseKevCatalog('[]')).toThrow(FeedFormatError);
    expect(() =>
      parseKevCatalog(
        broken(c => {
          c.vulnerabilities = [];
          c.count = 0;
        }),
      ),
    ).toThrow('The KEV catalog lists no vulnerability');
  });

  it('agrees with the official JSON schema on the real catalog and on broken ones', () => {
    const catalog = JSON.parse(catalogText);
    const variants: Array<(c: any) => void> = [
      () => {},
      c => delete c.count,
      c => (c.count = '1404'),
      c => (c.dateReleased = 'yesterday'),
      c => (c.vulnerabilities = {}),
      c => (c.vulnerabilities[3].cveID = 'CVE-2024-12'),
      c => delete c.vulnerabilities[4].vendorProject,
      c => (c.vulnerabilities[5].dateAdded = '2024/01/01'),
      c => (c.vulnerabilities[6].cwes = ['79']),
      c => (c.vulnerabilities[7].notes = 7),
      c => delete c.vulnerabilities[8].knownRansomwareCampaignUse,
      // An empty list is valid to the schema but refused on purpose (see
      // the test above): a broken download must not wipe the catalog.
    ];
    for (const change of variants) {
      const copy = structuredClone(catalog);
      change(copy);
      expect([String(change), ourVerdict(copy)]).toEqual([
        String(change),
        officialVerdict(copy),
      ]);
    }
  });

  it('warns when the count does not match the list, and keeps the first of a repeated CVE', () => {
    const catalog = JSON.parse(catalogText);
    catalog.vulnerabilities.push(catalog.vulnerabilities[0]);
    const result = parseKevCatalog(JSON.stringify(catalog));
    expect(result.advisories).toHaveLength(1404);
    expect(result.warnings).toEqual([
      'The catalog says it holds 1404 vulnerabilities but lists 1405',
      '1 CVE ids appear more than once; the first entry is kept: CVE-2025-48384',
    ]);
  });
});

describe('parseKevProducts', () => {
  it('reads Vendor:Product pairs separated by semicolons or new lines', () => {
    expect(
      parseKevProducts(
        'Microsoft:Exchange Server; Apache:Log4j2\n  Cisco : IOS XE ;;\nmicrosoft:exchange server',
      ),
    ).toEqual({
      products: [
        { vendor: 'Microsoft', product: 'Exchange Server' },
        { vendor: 'Apache', product: 'Log4j2' },
        { vendor: 'Cisco', product: 'IOS XE' },
      ],
      problems: [],
    });
  });

  it('names each entry that is not Vendor:Product', () => {
    expect(
      parseKevProducts('Log4j2; Apache:; :Exchange; Fortinet:FortiOS'),
    ).toEqual({
      products: [{ vendor: 'Fortinet', product: 'FortiOS' }],
      problems: [
        '"Log4j2" is not Vendor:Product (for example Microsoft:Exchange Server)',
        '"Apache:" is not Vendor:Product (for example Microsoft:Exchange Server)',
        '":Exchange" is not Vendor:Product (for example Microsoft:Exchange Server)',
      ],
    });
    expect(parseKevProducts('  ')).toEqual({ products: [], problems: [] });
  });
});
