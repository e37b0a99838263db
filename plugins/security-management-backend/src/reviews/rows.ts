import {
  ReviewOutcome,
  SecurityReview,
} from '@open-itsm/plugin-security-management-common';
import { DbMillis, toIso } from '../lib/rows';

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

export function rowToReview(row: ReviewRow): SecurityReview {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    reviewer: row.reviewer,
    outcome: row.outcome as ReviewOutcome,
    findings: row.findings,
    conditions: JSON.parse(row.conditions),
    reviewedAt: toIso(row.reviewed_at),
    nextDueAt: toIso(row.next_due_at),
  };
}
