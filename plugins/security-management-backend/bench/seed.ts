import {
  ControlSummary,
  IncidentSeverity,
  SecurityTestMethod,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { StoredEntity } from '../src/applicability/ApplicabilityStore';
import { IncidentStore } from '../src/incidents/IncidentStore';
import { ReviewStore } from '../src/reviews/ReviewStore';

/** Controls in the benchmark catalog. */
export const CONTROL_COUNT = 20;
/** Controls applying to each entity (about 60 %, as the brief asks). */
export const APPLICABLE_PER_ENTITY = 12;
/** Records per store.addTestRecords call. */
export const INGEST_BATCH = 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const CADENCES = ['P30D', 'P90D', 'P180D', 'P365D'];
const RESULTS: TestResult[] = ['pass', 'pass', 'pass', 'fail', 'partial'];
const SEVERITIES: IncidentSeverity[] = ['critical', 'high', 'medium', 'low'];

/** A small deterministic PRNG so every run seeds the same data. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function controlRef(index: number): string {
  return `securitycontrol:default/bench-control-${index}`;
}

export function entityRef(index: number): string {
  return `component:default/bench-service-${index}`;
}

export function benchControls(): ControlSummary[] {
  return Array.from({ length: CONTROL_COUNT }, (_, i) => ({
    ref: controlRef(i),
    title: `Benchmark control ${i}`,
    owner: 'group:default/security-team',
    category: 'technical',
    criticality: (['low', 'medium', 'high', 'critical'] as const)[i % 4],
    cadence: CADENCES[i % CADENCES.length],
    method: 'automated',
    frameworks: [{ framework: 'nist-sp-800-53-rev5', ref: `SC-${i}` }],
  }));
}

/** Entities spread over owners (~20 each), systems (~10 each) and 10 domains. */
export function benchEntities(count: number): StoredEntity[] {
  const random = prng(count);
  return Array.from({ length: count }, (_, i) => {
    // A random 12 of the 20 controls, via a partial Fisher-Yates shuffle.
    const picks = Array.from({ length: CONTROL_COUNT }, (__, c) => c);
    for (let k = 0; k < APPLICABLE_PER_ENTITY; k++) {
      const j = k + Math.floor(random() * (CONTROL_COUNT - k));
      [picks[k], picks[j]] = [picks[j], picks[k]];
    }
    return {
      entityRef: entityRef(i),
      kind: 'component',
      title: `Bench service ${i}`,
      owner: `group:default/team-${i % Math.max(1, Math.floor(count / 20))}`,
      system: `system:default/system-${
        i % Math.max(1, Math.floor(count / 10))
      }`,
      domain: `domain:default/domain-${i % 10}`,
      riskTier: 1 + (i % 4),
      controlRefs: picks.slice(0, APPLICABLE_PER_ENTITY).map(controlRef),
    };
  });
}

/**
 * The test records of every applicable pair, yielded in ingest batches;
 * tested over the last 400 days so statuses are a realistic mix.
 */
export function* testRecordBatches(options: {
  entities: StoredEntity[];
  recordsPerPair: number;
  now: Date;
}): Generator<
  Array<{
    controlRef: string;
    entityRef: string;
    result: TestResult;
    testedAt: string;
    method: SecurityTestMethod;
    externalId: string;
  }>
> {
  const { entities, recordsPerPair, now } = options;
  const random = prng(42);
  let batch = [];
  let serial = 0;
  for (const entity of entities) {
    for (const control of entity.controlRefs) {
      for (let r = 0; r < recordsPerPair; r++) {
        batch.push({
          controlRef: control,
          entityRef: entity.entityRef,
          result: RESULTS[Math.floor(random() * RESULTS.length)],
          testedAt: new Date(
            now.getTime() - Math.floor(random() * 400 * DAY_MS),
          ).toISOString(),
          method: 'automated' as const,
          externalId: `bench-${serial++}`,
        });
        if (batch.length === INGEST_BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length) yield batch;
}

/** Incidents (1 per 50 entities) and reviews (1 per 5 entities). */
export async function seedIncidentsAndReviews(options: {
  incidents: IncidentStore;
  reviews: ReviewStore;
  entities: StoredEntity[];
  now: Date;
}): Promise<{ incidents: number; reviews: number }> {
  const {
    incidents: incidentStore,
    reviews: reviewStore,
    entities,
    now,
  } = options;
  const random = prng(7);
  let incidents = 0;
  for (let i = 0; i < entities.length; i += 50) {
    const entity = entities[i];
    await incidentStore.createIncident({
      input: {
        title: `Benchmark incident ${i}`,
        severity: SEVERITIES[incidents % SEVERITIES.length],
        affectedEntities: [entity.entityRef],
        failedControls: entity.controlRefs.slice(0, 1),
      },
      actor: { ref: 'user:default/bench' },
      now,
    });
    incidents++;
  }
  let reviews = 0;
  for (let i = 0; i < entities.length; i += 5) {
    const reviewedAt = new Date(
      now.getTime() - Math.floor(random() * 300 * DAY_MS),
    );
    await reviewStore.createReview({
      input: {
        entityRef: entities[i].entityRef,
        outcome: 'approved',
        findings: 'Benchmark review',
        reviewedAt: reviewedAt.toISOString(),
        nextDueAt: new Date(reviewedAt.getTime() + 180 * DAY_MS).toISOString(),
      },
      reviewer: 'user:default/bench',
    });
    reviews++;
  }
  return { incidents, reviews };
}
