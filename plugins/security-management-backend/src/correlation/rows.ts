import { CorrelationFingerprint } from '@open-itsm/plugin-security-management-common';
import { byKey, DbMillis, toIso } from '../lib/rows';
import { RuleHitInput, StoredFiring } from './CorrelationStore';

/*
 * The rows of the correlation tables, and how one delivery's hits group.
 */

/** The hits of one rule and fingerprint in one delivery. */
export interface HitGroup {
  ruleId: string;
  fingerprintKey: string;
  fingerprint: CorrelationFingerprint;
  entityRef: string;
  hits: RuleHitInput[];
}

export type FiringRow = {
  id: string;
  rule_id: string;
  fingerprint: string;
  fingerprint_values: string;
  entity_ref: string;
  incident_id: string;
  event_count: number;
  fired_at: DbMillis;
  last_event_at: DbMillis;
};

/** The key of a rule and fingerprint, as the maps of one delivery use it. */
export function groupId(group: {
  ruleId: string;
  fingerprintKey: string;
}): string {
  return `${group.ruleId}\u0000${group.fingerprintKey}`;
}

export function groupHits(hits: RuleHitInput[]): HitGroup[] {
  const groups = new Map<string, HitGroup>();
  for (const hit of hits) {
    const id = groupId(hit);
    const group = groups.get(id) ?? {
      ruleId: hit.ruleId,
      fingerprintKey: hit.fingerprintKey,
      fingerprint: hit.fingerprint,
      entityRef: hit.entityRef,
      hits: [],
    };
    group.hits.push(hit);
    groups.set(id, group);
  }
  // One order for every replica, so that two deliveries lock the same
  // state rows in the same order and never deadlock.
  return [...groups.values()].sort(byKey(groupId));
}

export function rowToFiring(row: FiringRow): StoredFiring {
  return {
    id: row.id,
    ruleId: row.rule_id,
    fingerprint: JSON.parse(row.fingerprint_values),
    entityRef: row.entity_ref,
    incidentId: row.incident_id,
    eventCount: Number(row.event_count),
    firedAt: toIso(row.fired_at),
    lastEventAt: toIso(row.last_event_at),
  };
}
