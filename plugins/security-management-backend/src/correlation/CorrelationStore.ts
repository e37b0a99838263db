import {
  CorrelationFingerprint,
  CorrelationFiringResult,
  Page,
} from '@open-itsm/plugin-security-management-common';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import { SecurityEvent } from './events';
import { CompiledRule } from './settings';

/** An event to store, with its idempotency key. */
export interface StoredEventInput {
  key: string;
  topic: string;
  event: SecurityEvent;
  occurredAt: number;
  /** The principal that posted it, or `events` for the events system. */
  receivedFrom: string;
}

/** An event that passed a rule's filter and carries its fingerprint. */
export interface RuleHitInput {
  ruleId: string;
  /** SHA-256 of the fingerprint's values. */
  fingerprintKey: string;
  fingerprint: CorrelationFingerprint;
  entityRef: string;
  eventKey: string;
  occurredAt: number;
}

/** An event that passed a rule's filter but could not be grouped. */
export interface RuleSkipInput {
  ruleId: string;
  eventKey: string;
  reason: 'missing-fields' | 'unknown-entity';
}

/** What one delivery of events did. */
export interface RecordResult {
  /** Keys of the events stored now; the others were stored before. */
  storedKeys: Set<string>;
  firings: CorrelationFiringResult[];
}

/** What a rule did over the events kept. */
export interface RuleCounters {
  matchedEvents: number;
  missingFields: number;
  unknownEntity: number;
  /** Left out when the caller may read no incident. */
  firings?: number;
  lastFiredAt?: string;
}

/** An incident a rule opened, as stored. */
export interface StoredFiring {
  id: string;
  ruleId: string;
  fingerprint: CorrelationFingerprint;
  entityRef: string;
  incidentId: string;
  eventCount: number;
  firedAt: string;
  lastEventAt: string;
}

/** Security events, the rules' hits on them, and the incidents they opened. */
export interface CorrelationStore {
  /**
   * Stores the events not stored before with their hits and skips, and
   * fires the rules whose threshold they reach: all in one transaction,
   * serialised per rule and fingerprint.
   */
  record(options: {
    events: StoredEventInput[];
    hits: RuleHitInput[];
    skips: RuleSkipInput[];
    rules: ReadonlyMap<string, CompiledRule>;
    now: Date;
  }): Promise<RecordResult>;
  /** Counters by rule id; firings only of incidents the access lets through. */
  ruleCounters(options: {
    incidents: IncidentReadAccess;
  }): Promise<Map<string, RuleCounters>>;
  /** Firings newest first, only of incidents the access lets through. */
  listFirings(options: {
    query: { limit: number; offset: number; ruleId?: string };
    incidents: IncidentReadAccess;
  }): Promise<Page<StoredFiring>>;
  /**
   * Deletes events received before `before` that no incident holds, with
   * their hits and skips, and state rows nothing refers to. Returns how many
   * events went.
   */
  deleteExpiredEvents(options: { before: Date }): Promise<number>;
}
