import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';

/**
 * Runs a change inside an auditor event: the event is created first, then
 * marked as a success (with meta naming what changed) or as a failure with
 * the error, which is rethrown.
 */
export async function audited<T>(options: {
  auditor: AuditorService;
  event: AuditorServiceCreateEventOptions;
  run: () => Promise<T>;
  describe?: (result: T) => JsonObject;
}): Promise<T> {
  const event = await options.auditor.createEvent(options.event);
  let result: T;
  try {
    result = await options.run();
  } catch (error) {
    await event.fail({ error: toError(error) });
    throw error;
  }
  await event.success({
    meta: { ...options.event.meta, ...options.describe?.(result) },
  });
  return result;
}

/** At most this many items of a list are named in an audit event. */
const MAX_AUDITED_ITEMS = 20;
/** At most this many characters of a value are named in an audit event. */
const MAX_AUDITED_LENGTH = 300;

function auditedValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value.slice(0, MAX_AUDITED_LENGTH);
  if (Array.isArray(value)) {
    return value
      .slice(0, MAX_AUDITED_ITEMS)
      .filter((item): item is string => typeof item === 'string')
      .map(item => item.slice(0, MAX_AUDITED_LENGTH));
  }
  return undefined;
}

/**
 * What a write targeted, from its raw body as sent (before validation), so
 * that a refused or invalid write names the entity and control it aimed at.
 * Only the named fields, strings only, shortened.
 */
export function auditTarget(body: unknown, fields: string[]): JsonObject {
  const target: JsonObject = {};
  if (!body || typeof body !== 'object') return target;
  for (const field of fields) {
    const value = auditedValue((body as Record<string, unknown>)[field]);
    if (value !== undefined) target[field] = value;
  }
  return target;
}

/** The pairs a batch of test records targeted, for its audit event. */
export function auditBatchTarget(body: unknown): JsonObject {
  const records = (body as { records?: unknown } | undefined)?.records;
  if (!Array.isArray(records)) return {};
  return {
    recordCount: records.length,
    targets: records
      .slice(0, MAX_AUDITED_ITEMS)
      .map(record => auditTarget(record, ['controlRef', 'entityRef'])),
  };
}
