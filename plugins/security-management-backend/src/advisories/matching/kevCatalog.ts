import { z } from 'zod';
import { FeedFormatError } from './errors';
import { MAX_REFERENCES } from './osvFeed';
import { FeedParseResult, KevProduct, ParsedAdvisory } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The official schema (cisagov/kev-data,
// known_exploited_vulnerabilities_schema.json, draft-07) written in zod: the
// same required fields, types and patterns. A test checks both agree.
const vulnerabilitySchema = z.object({
  cveID: z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,19}$/, 'is not a CVE id'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: z.string().regex(DATE, 'is not a date (YYYY-MM-DD)'),
  shortDescription: z.string(),
  requiredAction: z.string(),
  dueDate: z.string().regex(DATE, 'is not a date (YYYY-MM-DD)'),
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
  cwes: z
    .array(z.string().regex(/^CWE-([0-9])+$/, 'is not a CWE id'))
    .optional(),
});

const catalogSchema = z.object({
  catalogVersion: z.string(),
  dateReleased: z.iso.datetime({ offset: true }),
  count: z.number().int(),
  vulnerabilities: z.array(vulnerabilitySchema),
});

const URL_IN_TEXT = /https?:\/\/[^\s;]+/g;

/**
 * Reads the CISA Known Exploited Vulnerabilities catalog. Each entry becomes
 * an advisory with id = its CVE, `knownExploited` filled and no affected
 * packages (the catalog names vendor products, not package versions; see
 * {@link parseKevProducts}). Severity is unknown: the catalog carries no
 * score. A document of the wrong shape throws a {@link FeedFormatError}
 * naming the field and the index.
 */
export function parseKevCatalog(content: Buffer | string): FeedParseResult {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new FeedFormatError(
      `The KEV catalog is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path
      .map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    throw new FeedFormatError(
      `The KEV catalog does not follow its schema: ${path || '(document)'}: ${
        issue.message
      }`,
    );
  }
  const catalog = parsed.data;
  if (!catalog.vulnerabilities.length) {
    // An empty catalog is far likelier a broken download than a world
    // without exploited vulnerabilities: refused, the previous one stays.
    throw new FeedFormatError(
      'The KEV catalog lists no vulnerability; the previous catalog is kept',
    );
  }
  const warnings: string[] = [];
  if (catalog.count !== catalog.vulnerabilities.length) {
    warnings.push(
      `The catalog says it holds ${catalog.count} vulnerabilities but lists ${catalog.vulnerabilities.length}`,
    );
  }
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const advisories: ParsedAdvisory[] = [];
  for (const v of catalog.vulnerabilities) {
    if (seen.has(v.cveID)) {
      duplicates.push(v.cveID);
      continue;
    }
    seen.add(v.cveID);
    advisories.push({
      id: v.cveID,
      source: 'kev',
      summary: v.vulnerabilityName,
      details: v.shortDescription,
      severity: 'unknown',
      aliases: [],
      publishedAt: `${v.dateAdded}T00:00:00.000Z`,
      references: [...new Set(v.notes?.match(URL_IN_TEXT) ?? [])].slice(
        0,
        MAX_REFERENCES,
      ),
      affected: [],
      knownExploited: {
        vendorProject: v.vendorProject,
        product: v.product,
        dateAdded: v.dateAdded,
        dueDate: v.dueDate,
        requiredAction: v.requiredAction,
        knownRansomwareCampaignUse: v.knownRansomwareCampaignUse,
      },
    });
  }
  if (duplicates.length) {
    warnings.push(
      `${
        duplicates.length
      } CVE ids appear more than once; the first entry is kept: ${duplicates
        .slice(0, 5)
        .join(', ')}`,
    );
  }
  return { advisories, warnings, feedVersion: catalog.catalogVersion };
}

/** The key under which vendor products compare: case and spaces folded. */
export function kevProductKey(vendor: string, product: string): string {
  const fold = (s: string) =>
    s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
  return `${fold(vendor)}\u0000${fold(product)}`;
}

/**
 * Reads the `kev-products` annotation: `Vendor:Product` pairs separated by
 * semicolons or new lines, as CISA spells `vendorProject` and `product`
 * (compared without regard to case or repeated spaces), e.g.
 * `Microsoft:Exchange Server; Apache:Log4j2`. The vendor ends at the first
 * colon. An entry without a colon, or with an empty side, is a problem.
 */
export function parseKevProducts(value: string): {
  products: KevProduct[];
  problems: string[];
} {
  const products: KevProduct[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(/[;\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const vendor = colon < 0 ? '' : entry.slice(0, colon).trim();
    const product = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!vendor || !product) {
      problems.push(
        `"${entry}" is not Vendor:Product (for example Microsoft:Exchange Server)`,
      );
      continue;
    }
    const key = kevProductKey(vendor, product);
    if (seen.has(key)) continue;
    seen.add(key);
    products.push({ vendor, product });
  }
  return { products, problems };
}
