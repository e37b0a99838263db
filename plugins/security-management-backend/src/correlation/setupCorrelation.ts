import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { securityIncidentRules } from '../incidents/incidentRules';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { audited } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { CorrelationEngine } from './CorrelationEngine';
import { DatabaseCorrelationStore } from './DatabaseCorrelationStore';
import { registerCorrelationRoutes } from './routes';
import { readCorrelationSettings } from './settings';

/**
 * The incident permission rules of this plugin as a ruleset, to turn
 * conditional decisions into filters. A condition with a rule from
 * elsewhere fails to transform, which the authorizer treats as a denial.
 */
const incidentRuleset = {
  getRuleByName(name: string) {
    const rule = Object.values(securityIncidentRules).find(
      candidate => candidate.name === name,
    );
    if (!rule) throw new Error(`Unknown incident permission rule '${name}'`);
    return rule;
  },
};

/**
 * Security events and correlation rules: events filtered, grouped by fingerprint, and turned into incidents past a threshold.
 */
export async function setupCorrelation(
  options: CapabilityOptions,
): Promise<void> {
  const { router, context, database, stores, scheduler, events } = options;
  const { auditor, logger, config } = options;
  const settings = readCorrelationSettings(config);
  const store = await DatabaseCorrelationStore.create({
    database,
    incidents: stores.incidents,
  });
  const engine = new CorrelationEngine({
    settings,
    store,
    applicability: stores.applicability,
    auditor,
    logger,
  });

  await events.subscribe({
    id: 'security-management-correlation',
    topics: settings.topics,
    onEvent: params => engine.onEvent(params),
  });
  await scheduler.scheduleTask({
    id: 'security-management-event-retention',
    frequency: { cron: '30 3 * * *' },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 2 },
    scope: 'global',
    fn: async () => {
      await audited({
        auditor,
        event: {
          eventId: 'security-event-retention',
          severityLevel: 'medium',
          meta: { trigger: 'schedule', retention: settings.retention },
        },
        run: () =>
          store.deleteExpiredEvents({
            before: new Date(Date.now() - settings.retentionMs),
          }),
        describe: deleted => ({ deleted }),
      });
    },
  });
  registerCorrelationRoutes(router, {
    context,
    settings,
    engine,
    store,
    transformConditions:
      createConditionTransformer<IncidentRuleQuery>(incidentRuleset),
  });
  logger.info(
    `Security event correlation: ${
      settings.rules.length
    } rules on topics ${settings.topics.join(', ')}`,
  );
}
