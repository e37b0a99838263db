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
