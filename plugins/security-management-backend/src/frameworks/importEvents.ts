import { LoggerService } from '@backstage/backend-plugin-api';
import { EventParams } from '@backstage/plugin-events-node';
import {
  frameworkImportEventSchema,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { FrameworkStore } from './FrameworkStore';

/**
 * Keeps what the catalog module reports about each OSCAL import run, so
 * the security page can show a failed import (the previous one stays in
 * the catalog) with its reason. A payload that is not such a report is
 * logged and dropped.
 */
export async function recordImportEvent(options: {
  event: EventParams;
  store: FrameworkStore;
  logger: LoggerService;
}): Promise<void> {
  const { event, store, logger } = options;
  const parsed = frameworkImportEventSchema.safeParse(event.eventPayload);
  if (!parsed.success) {
    logger.warn(
      `Ignoring an event on ${event.topic} that is not an OSCAL import report: ${parsed.error.message}`,
    );
    return;
  }
  const report = parsed.data;
  await store.recordImportRun({
    importId: report.importId,
    framework: report.framework,
    target: report.target,
    outcome: report.outcome,
    at: toMillis(report.at),
    requirementCount: report.requirementCount,
    message: report.message,
  });
}
