import {
  ControlStatusCounts,
  PostureChanges,
  PostureGrade,
  ReviewStatus,
  RollupDimension,
  TrendPoint,
} from '@open-itsm/plugin-security-management-common';

/*
 * The posture history: one row per entity and day, and the sums per group
 * and day that trends read.
 */

/** Where a day's rows come from (see TREND_POINT_SOURCES in -common). */
export type SnapshotSource = 'snapshot' | 'backfill';

/** A dimension of the group sums: the roll-up's, or the whole organisation. */
export type HistoryDimension = 'organisation' | RollupDimension;

/** One entity's posture on one day. */
export interface EntitySnapshot {
  entityRef: string;
  kind: string;
  owner?: string;
  system?: string;
  domain?: string;
  counts: ControlStatusCounts;
  reviewStatus: ReviewStatus;
  advisories: { active: number; overdue: number };
  score: number | null;
  grade: PostureGrade;
}

/** The sums of one group's entities on one day. */
export interface GroupSnapshot {
  dimension: HistoryDimension;
  /** The group's entity ref; empty for the organisation. */
  key: string;
  entityCount: number;
  counts: ControlStatusCounts;
  review: Record<ReviewStatus, number>;
  advisories: { active: number; overdue: number };
}

/** The entities a "what changed" list is about: one, a group, or all. */
export type ChangeScope =
  | { by: 'entity'; key: string }
  | { by: 'organisation' }
  | { by: RollupDimension; key: string };

/** Reads and writes of the posture history. */
export interface HistoryStore {
  /**
   * Writes one day. A `snapshot` replaces the day's rows (a rerun, or a
   * second replica, updates them; entities gone since an earlier run that
   * day are dropped); a `backfill` only adds the rows the day lacks.
   */
  saveDay(options: {
    day: string;
    source: SnapshotSource;
    takenAt: number;
    entities: EntitySnapshot[];
    groups: GroupSnapshot[];
  }): Promise<void>;
  /** The earliest day with any row. */
  earliestDay(): Promise<string | undefined>;
  /** The earliest instant of any test record or review, if any. */
  earliestEvidence(): Promise<number | undefined>;
  /** Deletes the rows of days before `day`; how many entity rows went. */
  prune(options: { before: string }): Promise<number>;
  /** The entity refs of the catalog snapshot today. */
  listEntityRefs(): Promise<string[]>;
  /** An entity's points from `from` to `to` (days, inclusive), oldest first. */
  entityTrend(options: {
    entityRef: string;
    from: string;
    to: string;
  }): Promise<TrendPoint[]>;
  /** A group's points from `from` to `to` (days, inclusive), oldest first. */
  groupTrend(options: {
    dimension: HistoryDimension;
    key: string;
    from: string;
    to: string;
  }): Promise<TrendPoint[]>;
  /** What changed in the scope's controls between two instants. */
  changes(options: {
    scope: ChangeScope;
    from: number;
    to: number;
  }): Promise<PostureChanges>;
}
