import {
  CorrelatedEventSummary,
  CorrelationFingerprint,
  CorrelationMatchCondition,
  fillTemplate,
  IncidentInput,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';
import { createHash } from 'crypto';
import { CompiledRule } from './settings';

/*
 * What a rule makes of one event, without any storage: the filter, the
 * fingerprint, the idempotency key, and the words an incident gets.
 */

/** A security event: a JSON object. */
export type SecurityEvent = Record<string, unknown>;

type Scalar = string | number | boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`source.ip`); a number segment indexes a list. */
export function valueAt(event: unknown, path: string): unknown {
  let current: unknown = event;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      current = current[Number(segment)];
    } else if (
      isPlainObject(current) &&
      Object.prototype.hasOwnProperty.call(current, segment)
    ) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * Whether a field's value satisfies a condition. A field holding a list
 * satisfies an equality when any of its items does.
 */
export function conditionHolds(
  value: unknown,
  condition: CorrelationMatchCondition,
): boolean {
  if (isPlainObject(condition)) {
    return (value !== undefined && value !== null) === condition.exists;
  }
  const candidates = Array.isArray(value) ? value : [value];
  if (Array.isArray(condition)) {
    return candidates.some(
      item => typeof item === 'string' && condition.includes(item),
    );
  }
  return candidates.some(item => item === condition);
}

/** Whether an event of a topic passes a rule's filter. */
export function passesFilter(
  rule: CompiledRule,
  topic: string,
  event: SecurityEvent,
): boolean {
  if (rule.topic && rule.topic !== topic) return false;
  return Object.entries(rule.match).every(([path, condition]) =>
    conditionHolds(valueAt(event, path), condition),
  );
}

/** How an event that passed a filter is grouped, or why it cannot be. */
export type Grouping =
  | {
      kind: 'hit';
      /** SHA-256 of the values, the key the rule's state is stored under. */
      key: string;
      fingerprint: CorrelationFingerprint;
      entityRef: string;
    }
  | { kind: 'skip'; reason: 'missing-fields' | 'unknown-entity' };

function isScalar(value: unknown): value is Scalar {
  return (
    (typeof value === 'string' && value.trim() !== '') ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean'
  );
}

/**
 * The fingerprint and affected entity of an event for a rule. Every
 * fingerprint field and the entity field must hold a string, number or
 * boolean; the entity must be an entity ref (default kind Component). The
 * fingerprint holds the normalised entity ref too, so that `shop` and
 * `component:default/shop` group together.
 */
export function groupingOf(rule: CompiledRule, event: SecurityEvent): Grouping {
  const rawEntity = valueAt(event, rule.entity);
  if (!isScalar(rawEntity)) return { kind: 'skip', reason: 'missing-fields' };
  const entityRef = normalizeEntityRef(String(rawEntity), {
    defaultKind: 'component',
  });
  if (!entityRef) return { kind: 'skip', reason: 'unknown-entity' };
  const fingerprint: CorrelationFingerprint = {};
  for (const path of rule.fingerprint) {
    const value = valueAt(event, path);
    if (!isScalar(value)) return { kind: 'skip', reason: 'missing-fields' };
    fingerprint[path] = path === rule.entity ? entityRef : value;
  }
  // An incident affects one entity, so the entity is always part of the
  // group: one source attacking two services opens an incident on each.
  fingerprint[rule.entity] = entityRef;
  const key = sha256(JSON.stringify(Object.entries(fingerprint)));
  return { kind: 'hit', key, fingerprint, entityRef };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with the keys of every object sorted, so equal events hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(item => canonicalJson(item ?? null)).join(',')}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .filter(key => value[key] !== undefined)
      .sort()
      .map(key => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** An event's own id, when it carries a usable one. */
export function eventId(event: SecurityEvent): string | undefined {
  const id = event.id;
  if (typeof id === 'string' && id.trim() && id.length <= 200) return id.trim();
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return undefined;
}

/**
 * The idempotency key of an event: its topic and id, or without an id a
 * SHA-256 of the topic and the event's canonical JSON.
 */
export function eventKey(topic: string, event: SecurityEvent): string {
  const id = eventId(event);
  if (id !== undefined) return `id:${topic}:${id}`;
  return `sha256:${sha256(`${topic}\n${canonicalJson(event)}`)}`;
}

const MAX_SUMMARY_FIELDS = 20;
const MAX_SUMMARY_TEXT = 200;

function shortText(value: string): string {
  const clean = value.replaceAll('\u0000', '');
  return clean.length > MAX_SUMMARY_TEXT
    ? `${clean.slice(0, MAX_SUMMARY_TEXT - 1)}…`
    : clean;
}

function summaryValue(value: unknown): Scalar | undefined {
  if (typeof value === 'string') return shortText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value;
  return undefined;
}

/**
 * An event as a timeline entry shows it: the fields the rule reads, then
 * the event's other top-level values, short.
 */
export function summariseEvent(
  rule: CompiledRule,
  event: SecurityEvent,
  occurredAt: number,
): CorrelatedEventSummary {
  const fields: Record<string, Scalar> = {};
  const candidates = [
    ...rule.fields,
    ...Object.keys(event).filter(key => key !== 'id' && key !== 'occurredAt'),
  ];
  for (const path of candidates) {
    if (Object.keys(fields).length >= MAX_SUMMARY_FIELDS) break;
    if (path in fields) continue;
    const value = summaryValue(valueAt(event, path));
    if (value !== undefined) fields[path] = value;
  }
  const id = eventId(event);
  return {
    ...(id !== undefined ? { id: shortText(id) } : {}),
    occurredAt: new Date(occurredAt).toISOString(),
    fields,
  };
}

/** `entityRef=component:default/shop, source.ip=10.0.0.7`. */
export function describeFingerprint(fingerprint: CorrelationFingerprint) {
  return Object.entries(fingerprint)
    .map(([path, value]) => `${path}=${String(value)}`)
    .join(', ');
}

function truncate(text: string, max: number): string {
  const clean = text.replaceAll('\u0000', '').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * The incident a rule opens: its title with `{{count}}` and
 * `{{field.path}}` filled from the latest event, on the affected entity.
 */
export function incidentInputFor(options: {
  rule: CompiledRule;
  fingerprint: CorrelationFingerprint;
  entityRef: string;
  eventCount: number;
  latestEvent: SecurityEvent;
}): IncidentInput {
  const { rule, fingerprint, entityRef, eventCount, latestEvent } = options;
  const fill = (template: string) =>
    fillTemplate(template, name => {
      if (name === 'count') return String(eventCount);
      const value = summaryValue(valueAt(latestEvent, name));
      return value === undefined ? undefined : String(value);
    });
  const opened = `Opened by the correlation rule '${rule.title}' (${
    rule.id
  }): ${eventCount} matching events within ${
    rule.window
  } for ${describeFingerprint(fingerprint)}.`;
  return {
    title: truncate(fill(rule.incident.title), 200) || rule.title,
    description: truncate(
      rule.incident.description
        ? `${fill(rule.incident.description)}\n\n${opened}`
        : opened,
      20000,
    ),
    severity: rule.incident.severity,
    affectedEntities: [entityRef],
  };
}
