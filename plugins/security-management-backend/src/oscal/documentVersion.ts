import { createHash } from 'node:crypto';

/**
 * The `version` of an exported document: a digest of everything in it but
 * its metadata's `last-modified` and `version`, so two exports with the same
 * version hold the same data, and the version changes with any of it.
 */
export function contentVersion(content: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(content))
    .digest('hex')
    .slice(0, 16);
}
