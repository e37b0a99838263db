import {
  CONTROL_STATUSES,
  emptyControlCounts,
  emptyReviewCounts,
  EntityPosture,
  ROLLUP_DIMENSIONS,
} from '@open-itsm/plugin-security-management-common';
import { EntitySnapshot, GroupSnapshot } from './HistoryStore';

/** An entity's posture as the history keeps it (no incidents: see README). */
export function toEntitySnapshot(posture: EntityPosture): EntitySnapshot {
  return {
    entityRef: posture.entityRef,
    kind: posture.kind,
    owner: posture.owner,
    system: posture.system,
    domain: posture.domain,
    counts: posture.counts,
    reviewStatus: posture.review.status,
    advisories: posture.advisories ?? { active: 0, overdue: 0 },
    score: posture.score,
    grade: posture.grade,
  };
}

/**
 * The sums of a day's entities for the organisation and per owner, system
 * and domain, as the roll-up sums them: control statuses and review
 * statuses added up, the score left to be computed from the sums. Entities
 * without an owner (system, domain) count for the organisation only.
 */
export function groupSnapshots(entities: EntitySnapshot[]): GroupSnapshot[] {
  const groups = new Map<string, GroupSnapshot>();
  const add = (
    dimension: GroupSnapshot['dimension'],
    key: string,
    entity: EntitySnapshot,
  ) => {
    const id = `${dimension}|${key}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        dimension,
        key,
        entityCount: 0,
        counts: emptyControlCounts(),
        review: emptyReviewCounts(),
        advisories: { active: 0, overdue: 0 },
      };
      groups.set(id, group);
    }
    group.entityCount += 1;
    for (const status of CONTROL_STATUSES) {
      group.counts[status] += entity.counts[status];
    }
    group.review[entity.reviewStatus] += 1;
    group.advisories.active += entity.advisories.active;
    group.advisories.overdue += entity.advisories.overdue;
  };
  for (const entity of entities) {
    add('organisation', '', entity);
    for (const dimension of ROLLUP_DIMENSIONS) {
      const key = entity[dimension];
      if (key) add(dimension, key, entity);
    }
  }
  return [...groups.values()];
}
