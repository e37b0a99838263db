import { Config } from '@backstage/config';
import {
  addDuration,
  checkInput,
  CorrelationRule,
  correlationRuleSchema,
  DEFAULT_SECURITY_EVENT_RETENTION,
  DEFAULT_SECURITY_EVENT_TOPIC,
  isIsoDuration,
  securityEventTopicSchema,
  toMillis,
} from '@open-itsm/plugin-security-management-common';

/** A rule of the configuration, with what the engine derives from it. */
export interface CompiledRule extends CorrelationRule {
  /** The window in milliseconds (months and years counted from 1970). */
  windowMs: number;
  /** Every field the rule reads: filter, fingerprint and entity. */
  fields: string[];
}

/** `securityManagement.correlation` as the engine runs with it. */
export interface CorrelationSettings {
  topics: string[];
  rules: CompiledRule[];
  /** How long events not attached to an incident are kept (ISO-8601). */
  retention: string;
  retentionMs: number;
}

const BASE = 'securityManagement.correlation';

/** Milliseconds of an ISO-8601 duration, counted from the epoch. */
export function durationMillis(duration: string): number {
  return toMillis(addDuration(0, duration));
}

function configProblem(key: string, message: string): string {
  return `Invalid config at '${key}': ${message}`;
}

function readTopics(config: Config): string[] {
  const key = `${BASE}.topics`;
  const topics = config.getOptionalStringArray(key) ?? [
    DEFAULT_SECURITY_EVENT_TOPIC,
  ];
  if (topics.length === 0) {
    throw new Error(configProblem(key, 'must name at least one topic'));
  }
  topics.forEach((topic, index) => {
    if (!securityEventTopicSchema.safeParse(topic).success) {
      throw new Error(
        configProblem(
          `${key}[${index}]`,
          `'${topic}' is not a topic name such as security`,
        ),
      );
    }
  });
  return [...new Set(topics)];
}

function readRetention(config: Config): string {
  const key = `${BASE}.retention`;
  const value =
    config.getOptionalString(key) ?? DEFAULT_SECURITY_EVENT_RETENTION;
  if (!isIsoDuration(value)) {
    throw new Error(
      configProblem(
        key,
        `'${value}' is not a positive ISO-8601 duration such as P30D`,
      ),
    );
  }
  return value;
}

function compile(rule: CorrelationRule): CompiledRule {
  return {
    ...rule,
    windowMs: durationMillis(rule.window),
    fields: [
      ...new Set([
        ...Object.keys(rule.match),
        ...rule.fingerprint,
        rule.entity,
      ]),
    ],
  };
}

/**
 * Reads and checks `securityManagement.correlation`. A rule the engine could
 * not run stops the backend, with every problem named by its config key:
 * detection that silently does nothing is worse than a failed start.
 */
export function readCorrelationSettings(config: Config): CorrelationSettings {
  const topics = readTopics(config);
  const retention = readRetention(config);
  const retentionMs = durationMillis(retention);
  const rulesKey = `${BASE}.rules`;
  const raw = config.getOptional(rulesKey) ?? [];
  if (!Array.isArray(raw)) {
    throw new Error(configProblem(rulesKey, 'expected a list of rules'));
  }

  const problems: string[] = [];
  const rules: CompiledRule[] = [];
  const firstIndexOfId = new Map<string, number>();
  raw.forEach((value, index) => {
    const at = `${rulesKey}[${index}]`;
    const check = checkInput(correlationRuleSchema, value);
    if (!check.success) {
      for (const { path, message } of check.problems) {
        const key = !path
          ? at
          : `${at}${path.startsWith('[') ? '' : '.'}${path}`;
        problems.push(configProblem(key, message));
      }
      return;
    }
    const rule = check.data;
    const earlier = firstIndexOfId.get(rule.id);
    if (earlier !== undefined) {
      problems.push(
        configProblem(
          `${at}.id`,
          `'${rule.id}' is the id of rules[${earlier}] too; rule ids must be unique`,
        ),
      );
      return;
    }
    firstIndexOfId.set(rule.id, index);
    if (rule.topic && !topics.includes(rule.topic)) {
      problems.push(
        configProblem(
          `${at}.topic`,
          `'${rule.topic}' is not among ${BASE}.topics (${topics.join(', ')})`,
        ),
      );
      return;
    }
    const compiled = compile(rule);
    if (compiled.windowMs >= retentionMs) {
      problems.push(
        configProblem(
          `${at}.window`,
          `${rule.window} must be shorter than ${BASE}.retention (${retention}), which deletes the events it counts`,
        ),
      );
      return;
    }
    rules.push(compiled);
  });
  if (problems.length) throw new Error(problems.join('; '));
  return { topics, rules, retention, retentionMs };
}
