import { ReviewReason } from '@open-itsm/plugin-security-management-common';
import { DetectedChange } from './reviewTriggers';

/** An entity's facts as the catalog sync saw them now. */
export interface SeenFacts {
  entityRef: string;
  /** serializeFacts of the facts. */
  facts: string;
}

/** An entity whose facts changed since they were stored. */
export interface ChangedFacts extends SeenFacts {
  /** The stored facts the change was computed from. */
  previous: string;
  /** The changes that require a review (none for a change that does not). */
  changes: DetectedChange[];
}

/**
 * The security-relevant facts of each entity as the catalog sync last saw
 * them, and the changes that require a review, each with when it was seen.
 */
export interface ReviewFactsStore {
  /** The stored facts (serialized) of every entity seen so far. */
  getAllFacts(): Promise<Map<string, string>>;
  /**
   * Stores the facts of entities seen for the first time (not a change)
   * and of entities whose facts changed, with their changes, in one
   * transaction. A changed entity's row is updated only if it still holds
   * `previous`: of two syncs racing, one records the change.
   */
  recordFacts(options: {
    added: SeenFacts[];
    changed: ChangedFacts[];
    now: Date;
  }): Promise<{ added: number; changed: number; reasons: number }>;
  /**
   * The changes seen after each entity's latest review, oldest first; an
   * entity never reviewed has none (its review is required anyway).
   */
  listPendingReasons(
    entityRefs: string[],
  ): Promise<Map<string, ReviewReason[]>>;
}
