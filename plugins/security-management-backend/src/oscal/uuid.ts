import { createHash } from 'node:crypto';

/**
 * The namespace of every UUID the OSCAL exports hold (a random v4 UUID,
 * fixed forever): with it, the same entity, control or test record always
 * gets the same UUID, so an export made again is identical and tools that
 * compare revisions see the same subjects.
 */
export const OSCAL_UUID_NAMESPACE = '78ec662d-450a-4fbd-bab3-1a546d62ef4b';

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** A name-based UUID (version 5, SHA-1) as RFC 4122 section 4.3 defines it. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(bytesOf(namespace))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/**
 * The stable UUID of an object of the exports: its kind and what identifies
 * it (entity ref, control ref, record id...), in the plugin's namespace.
 */
export function oscalUuid(kind: string, ...parts: string[]): string {
  return uuidV5([kind, ...parts].join('\u0000'), OSCAL_UUID_NAMESPACE);
}
