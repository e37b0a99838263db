import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DEFAULT_RISK_TIER,
  normalizeEntityRef,
  readRiskTier,
  REVIEW_TRIGGERS,
  ReviewTrigger,
} from '@open-itsm/plugin-security-management-common';

/*
 * What the catalog sync compares to notice a security-relevant change: the
 * facts of an entity that a review vouches for, and the changes between two
 * sightings of them that require a review before its due date.
 */

/** The facts of an entity that its security review vouches for. */
export interface ReviewFacts {
  /** `spec.lifecycle`, lower-case. */
  lifecycle?: string;
  /** `spec.owner` as an entity ref. */
  owner?: string;
  riskTier: number;
  /** `dependsOn` targets of risk tier 1, sorted. */
  tier1Dependencies: string[];
  /** `providesApi` targets, sorted. */
  providedApis: string[];
}

/** A change that requires a review, before it is stored. */
export interface DetectedChange {
  trigger: ReviewTrigger;
  detail: string;
}

/*
 * Refs are lower-cased with toLowerCase, the same as en-US lower-casing for
 * every character (en-US has no special rules) and far cheaper on every
 * entity of every sync than toLocaleLowerCase.
 */

/** The entity's own ref, lower-case. */
export function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}

function targets(entity: Entity, type: string): string[] {
  const refs = (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef.toLowerCase());
  return [...new Set(refs)].sort();
}

/**
 * The facts of an entity as the catalog shows it; `tier1Refs` are the
 * lower-case refs of the entities whose risk tier is 1. `owners` memoizes
 * owner refs across the entities of one sync (owners repeat, and parsing a
 * ref is the dearest part).
 */
export function reviewFactsOf(
  entity: Entity,
  tier1Refs: ReadonlySet<string>,
  owners: Map<string, string | undefined> = new Map(),
): ReviewFacts {
  const lifecycle = entity.spec?.lifecycle;
  const owner = entity.spec?.owner;
  let ownerRef: string | undefined;
  if (typeof owner === 'string') {
    const key = `${entity.metadata.namespace ?? ''}\u0000${owner}`;
    if (owners.has(key)) {
      ownerRef = owners.get(key);
    } else {
      ownerRef = normalizeEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace,
      });
      owners.set(key, ownerRef);
    }
  }
  return {
    lifecycle:
      typeof lifecycle === 'string' && lifecycle.trim()
        ? lifecycle.trim().toLowerCase()
        : undefined,
    owner: ownerRef,
    riskTier: readRiskTier(entity) ?? DEFAULT_RISK_TIER,
    tier1Dependencies: targets(entity, 'dependsOn').filter(ref =>
      tier1Refs.has(ref),
    ),
    providedApis: targets(entity, 'providesApi'),
  };
}

/** The refs of entities of risk tier 1 among these, lower-case. */
export function tier1RefsOf(entities: Entity[]): Set<string> {
  return new Set(
    entities.filter(entity => readRiskTier(entity) === 1).map(ownRef),
  );
}

/**
 * The facts as stored: a JSON text with a fixed key order and sorted
 * lists, so that equal facts are equal texts.
 */
export function serializeFacts(facts: ReviewFacts): string {
  return JSON.stringify({
    lifecycle: facts.lifecycle ?? null,
    owner: facts.owner ?? null,
    riskTier: facts.riskTier,
    tier1Dependencies: facts.tier1Dependencies,
    providedApis: facts.providedApis,
  });
}

/** Stored facts back; lists missing from an older row read as empty. */
export function parseFacts(text: string): ReviewFacts {
  const raw = JSON.parse(text) as Partial<Record<keyof ReviewFacts, unknown>>;
  const list = (value: unknown) =>
    Array.isArray(value) ? value.filter(v => typeof v === 'string') : [];
  return {
    lifecycle: typeof raw.lifecycle === 'string' ? raw.lifecycle : undefined,
    owner: typeof raw.owner === 'string' ? raw.owner : undefined,
    riskTier:
      typeof raw.riskTier === 'number' ? raw.riskTier : DEFAULT_RISK_TIER,
    tier1Dependencies: list(raw.tier1Dependencies),
    providedApis: list(raw.providedApis),
  };
}

/**
 * The changes from the previous facts to the current ones that require a
 * review, among the enabled triggers. A change that makes things safer
 * (leaving production, a lower risk tier, a dependency or API removed)
 * requires none.
 */
export function detectChanges(options: {
  previous: ReviewFacts;
  current: ReviewFacts;
  triggers: ReadonlySet<ReviewTrigger>;
}): DetectedChange[] {
  const { previous, current, triggers } = options;
  const changes: DetectedChange[] = [];
  if (
    triggers.has('lifecycle-production') &&
    current.lifecycle === 'production' &&
    previous.lifecycle !== 'production'
  ) {
    changes.push({
      trigger: 'lifecycle-production',
      detail: `lifecycle ${previous.lifecycle ?? '(none)'} → production`,
    });
  }
  if (triggers.has('owner-changed') && current.owner !== previous.owner) {
    changes.push({
      trigger: 'owner-changed',
      detail: `owner ${previous.owner ?? '(none)'} → ${
        current.owner ?? '(none)'
      }`,
    });
  }
  if (triggers.has('tier1-dependency')) {
    const before = new Set(previous.tier1Dependencies);
    for (const ref of current.tier1Dependencies) {
      if (!before.has(ref)) {
        changes.push({
          trigger: 'tier1-dependency',
          detail: `depends on ${ref} (risk tier 1)`,
        });
      }
    }
  }
  if (triggers.has('provided-api')) {
    const before = new Set(previous.providedApis);
    for (const ref of current.providedApis) {
      if (!before.has(ref)) {
        changes.push({ trigger: 'provided-api', detail: `provides ${ref}` });
      }
    }
  }
  if (
    triggers.has('risk-tier-raised') &&
    current.riskTier < previous.riskTier
  ) {
    changes.push({
      trigger: 'risk-tier-raised',
      detail: `risk tier ${previous.riskTier} → ${current.riskTier}`,
    });
  }
  return changes;
}

const TRIGGERS_KEY = 'securityManagement.reviews.triggers';

/**
 * The enabled review triggers (`securityManagement.reviews.triggers`), all
 * of them by default; an empty list turns change detection off. An
 * unknown name stops the backend at start, naming the key.
 */
export function readReviewTriggers(config: Config): Set<ReviewTrigger> {
  const names = config.getOptionalStringArray(TRIGGERS_KEY);
  if (names === undefined) return new Set(REVIEW_TRIGGERS);
  const known = new Set<string>(REVIEW_TRIGGERS);
  for (const name of names) {
    if (!known.has(name)) {
      throw new Error(
        `Invalid config at '${TRIGGERS_KEY}': '${name}' is not a review trigger; use ${REVIEW_TRIGGERS.join(
          ', ',
        )}`,
      );
    }
  }
  return new Set(names as ReviewTrigger[]);
}
