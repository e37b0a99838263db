import {
  ReviewCondition,
  ReviewConditionStatus,
  ReviewOutcome,
  SecurityReview,
} from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso, toOptionalIso } from '../lib/rows';

export type ReviewRow = {
  id: string;
  entity_ref: string;
  reviewer: string;
  outcome: string;
  findings: string;
  conditions: string;
  reviewed_at: DbMillis;
  next_due_at: DbMillis;
};

export type ReviewConditionRow = {
  review_id: string;
  position: number;
  text: string;
  status: string;
  met_at: DbMillis | null;
  met_by: string | null;
  note: string | null;
};

export function rowToCondition(
  row: ReviewConditionRow,
  entityRef: string,
): ReviewCondition {
  return {
    reviewId: row.review_id,
    entityRef,
    position: Number(row.position),
    text: row.text,
    status: row.status as ReviewConditionStatus,
    metAt: toOptionalIso(row.met_at),
    metBy: optional(row.met_by),
    note: optional(row.note),
  };
}

export function rowToReview(
  row: ReviewRow,
  conditions: ReviewConditionRow[] = [],
): SecurityReview {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    reviewer: row.reviewer,
    outcome: row.outcome as ReviewOutcome,
    findings: row.findings,
    conditions: JSON.parse(row.conditions),
    trackedConditions: conditions
      .filter(c => c.review_id === row.id)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map(c => rowToCondition(c, row.entity_ref)),
    reviewedAt: toIso(row.reviewed_at),
    nextDueAt: toIso(row.next_due_at),
  };
}
