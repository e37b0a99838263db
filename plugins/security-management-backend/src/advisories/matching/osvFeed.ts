import { z } from 'zod';
import { compileRange } from './ranges';
import {
  compareText,
  MATCHED_ECOSYSTEMS,
  matchedEcosystem,
} from './ecosystems';
import { FeedFormatError } from './errors';
import { severityOf } from './severity';
import {
  AffectedPackage,
  AffectedRange,
  FeedParseResult,
  ParsedAdvisory,
} from './types';

/** At most this many references are kept per advisory. */
export const MAX_REFERENCES = 20;

const eventSchema = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

// The fields this version reads, with the types the OSV schema gives them;
// other fields are ignored.
const osvRecordSchema = z.object({
  id: z.string().min(1),
  modified: z.string(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).nullish(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z
    .array(z.object({ type: z.string(), score: z.string() }))
    .nullish(),
  affected: z
    .array(
      z.object({
        package: z
          .object({ ecosystem: z.string(), name: z.string() })
          .optional(),
        ranges: z
          .array(z.object({ type: z.string(), events: z.array(eventSchema) }))
          .nullish(),
        versions: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
  references: z.array(z.object({ url: z.string() })).nullish(),
  database_specific: z.record(z.string(), z.unknown()).nullish(),
});
type OsvRecord = z.infer<typeof osvRecordSchema>;

/** Counts per key, written as "PyPI (2), Maven (1)", most frequent first. */
class Tally {
  readonly #counts = new Map<string, number>();
  add(key: string) {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
  get size() {
    return this.#counts.size;
  }
  toString() {
    return [...this.#counts]
      .sort(([a, x], [b, y]) => y - x || compareText(a, b))
      .map(([key, count]) => `${key} (${count})`)
      .join(', ');
  }
}

function plural(count: number, one: string, many: string) {
  return `${count} ${count === 1 ? one : many}`;
}

function textOf(content: Buffer | string): string {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isoOrUndefined(value: string | undefined, bad: () => void) {
  if (value === undefined) return undefined;
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) {
    bad();
    return undefined;
  }
  return new Date(millis).toISOString();
}

function describeIssue(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path
    .map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return `${where}: ${path ? `${path}: ` : ''}${issue.message}`;
}

interface Counters {
  unmatchedEcosystems: Tally;
  recordsWithUnmatched: number;
  unusableRanges: number;
  gitOnlyPackages: number;
  badDates: number;
}

function toAdvisory(record: OsvRecord, counters: Counters): ParsedAdvisory {
  const affected: AffectedPackage[] = [];
  const unmatched = new Set<string>();
  for (const entry of record.affected ?? []) {
    if (!entry.package) continue; // only a repository: GIT ranges
    const ecosystem = matchedEcosystem(entry.package.ecosystem);
    if (!ecosystem) {
      // "Debian:11" → "Debian": one count per ecosystem, not per release.
      unmatched.add(entry.package.ecosystem.split(':')[0] || '(empty)');
      continue;
    }
    const ranges: AffectedRange[] = [];
    for (const range of entry.ranges ?? []) {
      if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
      const kept: AffectedRange = { type: range.type, events: range.events };
      if (!compileRange(kept)) counters.unusableRanges += 1;
      ranges.push(kept);
    }
    const versions = entry.versions ?? [];
    if (!ranges.length && !versions.length) {
      counters.gitOnlyPackages += 1;
      continue;
    }
    affected.push({ ecosystem, name: entry.package.name, ranges, versions });
  }
  if (unmatched.size) {
    counters.recordsWithUnmatched += 1;
    unmatched.forEach(e => counters.unmatchedEcosystems.add(e));
  }
  const badDate = () => {
    counters.badDates += 1;
  };
  return {
    id: record.id,
    source: 'osv',
    summary: record.summary?.trim() || record.id,
    details: record.details || undefined,
    severity: severityOf({
      databaseSeverity: record.database_specific?.severity,
      cvss: record.severity ?? undefined,
    }),
    aliases: [...new Set(record.aliases ?? [])],
    publishedAt: isoOrUndefined(record.published, badDate),
    modifiedAt: isoOrUndefined(record.modified, badDate),
    withdrawnAt: isoOrUndefined(record.withdrawn, badDate),
    references: [...new Set((record.references ?? []).map(r => r.url))].slice(
      0,
      MAX_REFERENCES,
    ),
    affected,
  };
}

/**
 * Reads an OSV feed: one OSV record per file, or a JSON array of records in
 * a file. A file that is not JSON or not OSV refuses the whole feed with a
 * {@link FeedFormatError} naming the file and the field. Packages of
 * ecosystems this version cannot compare (anything but npm, crates.io, Go,
 * Hex and Pub) are dropped and counted in one warning; GIT ranges are
 * ignored. Withdrawn advisories are kept with `withdrawnAt`. When an id
 * appears twice, the record modified last is kept.
 */
export function parseOsvFeed(
  files: Array<{ path: string; content: Buffer | string }>,
): FeedParseResult {
  if (!files.length) {
    throw new FeedFormatError(
      'The OSV feed holds no files; an empty feed would remove every advisory it brought',
    );
  }
  const counters: Counters = {
    unmatchedEcosystems: new Tally(),
    recordsWithUnmatched: 0,
    unusableRanges: 0,
    gitOnlyPackages: 0,
    badDates: 0,
  };
  const byId = new Map<string, ParsedAdvisory>();
  const duplicates = new Set<string>();

  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(textOf(file.content));
    } catch (error) {
      throw new FeedFormatError(
        `${file.path} is not valid JSON: ${(error as Error).message}`,
      );
    }
    const records = Array.isArray(json)
      ? json.map((value, i) => ({ value, where: `${file.path}[${i}]` }))
      : [{ value: json, where: file.path }];
    for (const { value, where } of records) {
      const parsed = osvRecordSchema.safeParse(value);
      if (!parsed.success) {
        throw new FeedFormatError(
          `${describeIssue(where, parsed.error)} (not an OSV record)`,
        );
      }
      const advisory = toAdvisory(parsed.data, counters);
      const previous = byId.get(advisory.id);
      if (previous) {
        duplicates.add(advisory.id);
        if ((previous.modifiedAt ?? '') >= (advisory.modifiedAt ?? '')) {
          continue;
        }
      }
      byId.set(advisory.id, advisory);
    }
  }

  const warnings: string[] = [];
  if (counters.recordsWithUnmatched) {
    warnings.push(
      `${plural(
        counters.recordsWithUnmatched,
        'record names',
        'records name',
      )} ecosystems this feed cannot match: ${
        counters.unmatchedEcosystems
      } (matched: ${MATCHED_ECOSYSTEMS.join(', ')})`,
    );
  }
  if (counters.gitOnlyPackages) {
    warnings.push(
      `${plural(
        counters.gitOnlyPackages,
        'affected package has',
        'affected packages have',
      )} only GIT ranges, which are not matched`,
    );
  }
  if (counters.unusableRanges) {
    warnings.push(
      `${plural(
        counters.unusableRanges,
        'range has',
        'ranges have',
      )} a version semver cannot read; they match nothing`,
    );
  }
  if (counters.badDates) {
    warnings.push(
      `${plural(counters.badDates, 'date is', 'dates are')} not ISO 8601 and ${
        counters.badDates === 1 ? 'was' : 'were'
      } left out`,
    );
  }
  if (duplicates.size) {
    const ids = [...duplicates].sort();
    warnings.push(
      `${plural(
        ids.length,
        'advisory appears',
        'advisories appear',
      )} more than once; the one modified last is kept: ${ids
        .slice(0, 5)
        .join(', ')}${ids.length > 5 ? ', …' : ''}`,
    );
  }
  return {
    advisories: [...byId.values()].sort((a, b) => compareText(a.id, b.id)),
    warnings,
  };
}
