import { PageQuery } from '@open-itsm/plugin-security-management-common';

/*
 * What every store shares in reading and writing rows. Instants are stored
 * as epoch milliseconds; PostgreSQL returns BIGINT as a string, so every
 * read goes through Number().
 */

/** A BIGINT column as read from either engine. */
export type DbMillis = number | string;

/** Bound on the values of one IN list, well under every engine's limit. */
export const IN_LIST_SIZE = 1000;

const DEFAULT_PAGE_SIZE = 50;

/** ISO-8601 in UTC of a stored instant. */
export function toIso(value: DbMillis): string {
  return new Date(Number(value)).toISOString();
}

export function toOptionalIso(
  value: DbMillis | null | undefined,
): string | undefined {
  return value === null || value === undefined ? undefined : toIso(value);
}

/** A nullable column as an optional property. */
export function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/**
 * Splits rows for multi-row inserts: at most `maxBindings` values per
 * statement, and at most 500 rows because knex writes a SQLite multi-row
 * insert as a compound SELECT, which SQLite limits to 500 terms.
 */
export function chunkRows<T extends object>(
  rows: T[],
  maxBindings = 5000,
): T[][] {
  if (rows.length === 0) return [];
  const columns = Math.max(1, Object.keys(rows[0]).length);
  const size = Math.min(500, Math.max(1, Math.floor(maxBindings / columns)));
  return chunk(rows, size);
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

/** Limit and offset of a page query, with the default page size. */
export function pageOf(query: PageQuery): { limit: number; offset: number } {
  return {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    offset: query.offset ?? 0,
  };
}

/** The number of a `count({ count: '*' })` row. */
export function countOf(row: { count?: unknown } | undefined): number {
  return Number(row?.count ?? 0);
}

/** A comparator by a string key. */
export function byKey<T>(key: (item: T) => string) {
  return (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -1;
    return ka > kb ? 1 : 0;
  };
}

/** The rows of a raw query on either engine. */
export function rawRows<T>(result: unknown): T[] {
  // pg answers a result object with rows; better-sqlite3 the rows themselves.
  return Array.isArray(result) ? result : (result as { rows: T[] }).rows;
}
