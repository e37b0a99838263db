import {
  securityPostureReadPermission,
  securityReportReadPermission,
  TrendDays,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { handle, RouteContext } from '../lib/routing';
import { HistoryStore } from './HistoryStore';
import { Clock, DAY_MS, dayOf, startOfDay } from './PostureHistory';

/** The first and last day of a trend of `days` days ending today. */
function trendDays(clock: Clock, days: TrendDays) {
  const today = startOfDay(dayOf(clock().getTime()));
  return { from: dayOf(today - (days - 1) * DAY_MS), to: dayOf(today) };
}

/** The instants a "what changed" list of `days` days ending now compares. */
function changePeriod(clock: Clock, days: TrendDays) {
  const now = clock().getTime();
  return { from: now - days * DAY_MS, to: now };
}

/**
 * Trends and what changed, per entity (with the permission to read
 * posture, like GET /posture/entity) and per group or for the
 * organisation (with the permission to read the report, like GET
 * /posture/rollup). Nothing here counts incidents, so nothing depends on
 * which incidents the reader may see.
 */
export function registerHistoryRoutes(
  router: express.Router,
  options: { context: RouteContext; store: HistoryStore; clock: Clock },
): void {
  const { context, store, clock } = options;
  const { authorizer, credentials: credentialsOf } = context;

  handle(router, 'getEntityTrend', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef, days } = input.query();
    const period = trendDays(clock, days);
    res.json({
      scope: { by: 'entity', key: entityRef },
      days,
      ...period,
      points: await store.entityTrend({ entityRef, ...period }),
    });
  });

  handle(router, 'getGroupTrend', async (req, res, input) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    const { by, key, days } = input.query();
    const period = trendDays(clock, days);
    res.json({
      scope: { by, ...(key ? { key } : {}) },
      days,
      ...period,
      points: await store.groupTrend({
        dimension: by,
        key: key ?? '',
        ...period,
      }),
    });
  });

  handle(router, 'getEntityChanges', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { entityRef, days } = input.query();
    res.json(
      await store.changes({
        scope: { by: 'entity', key: entityRef },
        ...changePeriod(clock, days),
      }),
    );
  });

  handle(router, 'getGroupChanges', async (req, res, input) => {
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    const { by, key, days } = input.query();
    res.json(
      await store.changes({
        scope: by === 'organisation' ? { by } : { by, key: key! },
        ...changePeriod(clock, days),
      }),
    );
  });
}
