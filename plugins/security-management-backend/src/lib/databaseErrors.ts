/*
 * Which errors mean the database cannot be reached or cannot take the
 * request now (a 503), as opposed to a bug or a bad query (a 500). knex
 * passes on the driver's error with the SQL in its message, and a
 * connection error names the host and port, so none of them is ever shown
 * to a caller.
 */

/** Socket errors of a connection to PostgreSQL (Node's error codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection
 * exception) is matched by prefix; these are the shutdowns, a server still
 * starting, and too many connections.
 */
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** SQLite result codes of a database that is busy, locked or cannot be opened. */
const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED|CANTOPEN)(_|$)/;

/**
 * Messages of the drivers and the pool for a lost or unobtainable
 * connection, which come without a code.
 */
const CONNECTION_MESSAGES = [
  /Unable to acquire a connection/, // knex, after its pool was destroyed
  /Timeout acquiring a connection/, // knex, pool exhausted
  /Connection terminated/, // pg
  /is not queryable/, // pg, a client whose connection broke
  /timeout exceeded when trying to connect/, // pg-pool
  /Cannot use a pool after calling end on the pool/, // pg-pool
  /The database connection is not open/, // better-sqlite3, closed
];

function isConnectionError(error: object): boolean {
  const { code, name, message } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code) || SQLITE_CODE.test(code)) return true;
  }
  if (name === 'KnexTimeoutError') return true;
  return (
    typeof message === 'string' &&
    CONNECTION_MESSAGES.some(pattern => pattern.test(message))
  );
}

/**
 * Whether an error, or an error it wraps (`cause`, or one of an
 * AggregateError's `errors`, as Node raises when every address of a host
 * refuses), says that the database is unavailable.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (isConnectionError(current)) return true;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}
