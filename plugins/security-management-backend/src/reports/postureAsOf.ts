import {
  CONTROL_STATUSES,
  controlStatus,
  emptyControlCounts,
  emptyIncidentCounts,
  EntityPosture,
  IncidentSeverity,
  IncidentSeverityCounts,
  postureGrade,
  PostureRollupItem,
  postureScore,
  ReviewStatus,
  reviewStatus,
  RollupDimension,
} from '@open-itsm/plugin-security-management-common';
import { PostureFacts } from './ReportStore';

/*
 * Posture at an instant from its facts, with -common's one definition
 * (controlStatus, reviewStatus, postureScore), and the roll-ups of the
 * report's entities, counted the way the posture store counts them.
 */

/** An incident open at as-of: its severity and the entities it affects. */
export interface OpenIncident {
  severity: IncidentSeverity;
  affectedEntities: string[];
}

/** The open incidents by entity; undefined when the caller may read none. */
export function openIncidentsByEntity(
  open: OpenIncident[] | undefined,
): Map<string, IncidentSeverityCounts> | undefined {
  if (!open) return undefined;
  const byEntity = new Map<string, IncidentSeverityCounts>();
  for (const incident of open) {
    for (const ref of incident.affectedEntities) {
      const counts = byEntity.get(ref) ?? emptyIncidentCounts();
      counts[incident.severity] += 1;
      byEntity.set(ref, counts);
    }
  }
  return byEntity;
}

/**
 * Every entity's posture at as-of, in the order of GET /posture (most
 * failing and overdue controls first, then by ref). `openIncidents` is
 * left out of each entity when the caller may read no incident.
 */
export function postureAsOf(options: {
  facts: PostureFacts;
  asOf: number;
  reviewDueSoon: string;
  openIncidents?: OpenIncident[];
}): EntityPosture[] {
  const { facts, asOf, reviewDueSoon } = options;
  const counts = new Map(
    facts.entities.map(entity => [entity.entityRef, emptyControlCounts()]),
  );
  for (const pair of facts.pairs) {
    const entityCounts = counts.get(pair.entityRef);
    if (!entityCounts) continue;
    entityCounts[
      controlStatus({
        cadence: pair.cadence,
        latest: pair.latest,
        exceptionExpiresAt: pair.exceptionExpiresAt,
        now: asOf,
      })
    ] += 1;
  }
  const incidents = openIncidentsByEntity(options.openIncidents);
  const postures = facts.entities.map((entity): EntityPosture => {
    const entityCounts = counts.get(entity.entityRef)!;
    const review = facts.reviews.get(entity.entityRef);
    const status = reviewStatus({
      nextDueAt: review?.nextDueAt,
      now: asOf,
      dueSoon: reviewDueSoon,
      lastReviewedAt: review?.reviewedAt,
      changedAt: review?.changedAt,
    });
    const advisories = facts.advisories.get(entity.entityRef) ?? {
      active: 0,
      overdue: 0,
    };
    const score = postureScore({
      counts: entityCounts,
      review: status,
      overdueAdvisories: advisories.overdue,
    });
    return {
      entityRef: entity.entityRef,
      title: entity.title,
      kind: entity.kind,
      owner: entity.owner,
      system: entity.system,
      domain: entity.domain,
      riskTier: entity.riskTier,
      counts: entityCounts,
      review: {
        status,
        lastReviewedAt: review && new Date(review.reviewedAt).toISOString(),
        lastOutcome: review?.outcome,
        nextDueAt: review && new Date(review.nextDueAt).toISOString(),
        riskTier: entity.riskTier,
      },
      ...(incidents
        ? {
            openIncidents:
              incidents.get(entity.entityRef) ?? emptyIncidentCounts(),
          }
        : {}),
      advisories,
      score,
      grade: postureGrade(score),
    };
  });
  return postures.sort(
    (a, b) =>
      b.counts.failing +
        b.counts.overdue -
        (a.counts.failing + a.counts.overdue) ||
      (a.entityRef < b.entityRef ? -1 : 1),
  );
}

/**
 * The entities rolled up by owner, system or domain: control and review
 * statuses summed, the score of a group its control coverage, and the open
 * incidents on its entities, each incident once per group (left out when
 * the caller may read none). Groups by key, the group without one last.
 */
export function rollUp(options: {
  entities: EntityPosture[];
  by: RollupDimension;
  openIncidents?: OpenIncident[];
}): PostureRollupItem[] {
  const { entities, by } = options;
  const groups = new Map<string | null, PostureRollupItem>();
  const keyOf = new Map<string, string | null>();
  for (const entity of entities) {
    const key = entity[by] ?? null;
    keyOf.set(entity.entityRef, key);
    let group = groups.get(key);
    if (!group) {
      const review: Record<ReviewStatus, number> = {
        current: 0,
        'due-soon': 0,
        'review-required': 0,
        overdue: 0,
        'never-reviewed': 0,
      };
      group = {
        key,
        entityCount: 0,
        counts: emptyControlCounts(),
        review,
        score: null,
      };
      groups.set(key, group);
    }
    group.entityCount += 1;
    group.review[entity.review.status] += 1;
    for (const status of CONTROL_STATUSES) {
      group.counts[status] += entity.counts[status];
    }
  }
  if (options.openIncidents) {
    for (const group of groups.values()) {
      group.openIncidents = emptyIncidentCounts();
    }
    for (const incident of options.openIncidents) {
      const keys = new Set(
        incident.affectedEntities
          .filter(ref => keyOf.has(ref))
          .map(ref => keyOf.get(ref)!),
      );
      for (const key of keys) {
        groups.get(key)!.openIncidents![incident.severity] += 1;
      }
    }
  }
  const items = [...groups.values()];
  for (const item of items) {
    item.score = postureScore({ counts: item.counts, review: 'current' });
  }
  return items.sort((a, b) => {
    if (a.key === b.key) return 0;
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    return a.key < b.key ? -1 : 1;
  });
}
