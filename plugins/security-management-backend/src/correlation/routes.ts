import { ConditionTransformer } from '@backstage/plugin-permission-node';
import { JsonObject } from '@backstage/types';
import {
  CorrelationRuleSummary,
  securityEventCreatePermission,
  securityIncidentReadPermission,
  securityReportReadPermission,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { incidentReadAccess } from '../incidents/incidentAccess';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { inputError, isFuture } from '../lib/inputProblems';
import { handle, principalRef, RouteContext } from '../lib/routing';
import { CorrelationEngine } from './CorrelationEngine';
import { CorrelationStore } from './CorrelationStore';
import { CompiledRule, CorrelationSettings } from './settings';

/** What a post of events aimed at, from its raw body, for its audit event. */
function postTarget(body: unknown): JsonObject {
  const { topic, events } = (body ?? {}) as {
    topic?: unknown;
    events?: unknown;
  };
  return {
    ...(typeof topic === 'string' ? { topic: topic.slice(0, 100) } : {}),
    ...(Array.isArray(events) ? { eventCount: events.length } : {}),
  };
}

/** A rule as the API answers it, without what the engine derives. */
function ruleAnswer(
  rule: CompiledRule,
): Omit<CorrelationRuleSummary, 'counters'> {
  const { windowMs: _windowMs, fields: _fields, ...answer } = rule;
  return answer;
}

/**
 * Security events: post them for correlation; read the rules with their
 * counters and the incidents they opened.
 */
export function registerCorrelationRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    settings: CorrelationSettings;
    engine: CorrelationEngine;
    store: CorrelationStore;
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
  },
): void {
  const { context, settings, engine, store, transformConditions } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;
  const titles = new Map(settings.rules.map(rule => [rule.id, rule.title]));

  handle(router, 'postSecurityEvents', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    const result = await audit(req, {
      eventId: 'security-events-post',
      severityLevel: 'medium',
      meta: postTarget(req.body),
      run: async () => {
        await authorizer.require(securityEventCreatePermission, credentials);
        const body = input.body();
        const now = new Date();
        const topic = body.topic ?? settings.topics[0];
        const problems: string[] = [];
        if (!settings.topics.includes(topic)) {
          problems.push(
            `topic: '${topic}' is not a subscribed topic; use ${settings.topics.join(
              ' or ',
            )}`,
          );
        }
        body.events.forEach((event, index) => {
          if (event.occurredAt && isFuture(event.occurredAt, now)) {
            problems.push(
              `events[${index}].occurredAt: ${event.occurredAt} is more than 5 minutes in the future`,
            );
          }
        });
        if (problems.length) throw inputError(problems);
        return engine.ingest({
          topic,
          events: body.events.map(event => ({
            event,
            occurredAt: event.occurredAt
              ? toMillis(event.occurredAt)
              : now.getTime(),
          })),
          receivedFrom: principalRef(credentials),
          now,
          trigger: 'api',
        });
      },
      describe: posted => ({
        accepted: posted.accepted,
        duplicates: posted.duplicates,
        incidentsOpened: posted.firings.filter(f => f.opened).length,
        incidentIds: posted.firings.slice(0, 20).map(f => f.incidentId),
      }),
    });
    res.json(result);
  });

  handle(router, 'listCorrelationRules', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityReportReadPermission, credentials);
    const incidents = await incidentReadAccess({
      authorizer,
      credentials,
      transformConditions,
    });
    const counters = await store.ruleCounters({ incidents });
    res.json({
      topics: settings.topics,
      retention: settings.retention,
      items: settings.rules.map(rule => ({
        ...ruleAnswer(rule),
        counters: counters.get(rule.id) ?? {
          matchedEvents: 0,
          missingFields: 0,
          unknownEntity: 0,
          ...(incidents.allowed ? { firings: 0 } : {}),
        },
      })),
    });
  });

  handle(router, 'listCorrelationFirings', async (req, res, input) => {
    const credentials = await credentialsOf(req);
    await authorizer.require(securityReportReadPermission, credentials);
    const { filter } = await authorizer.requireResourceAccess({
      permission: securityIncidentReadPermission,
      credentials,
      transformConditions,
    });
    const query = input.query();
    const page = await store.listFirings({
      query,
      incidents: { allowed: true, filter },
    });
    res.json({
      totalCount: page.totalCount,
      items: page.items.map(firing => ({
        ...firing,
        ruleTitle: titles.get(firing.ruleId),
      })),
    });
  });
}
