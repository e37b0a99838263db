import {
  Incident,
  IncidentInput,
  IncidentPatch,
  IncidentQuery,
  IncidentStatus,
  IncidentTimelineEntry,
  Page,
} from '@open-itsm/plugin-security-management-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { ReviewActionInput } from './postIncidentReview';

/** A SQL filter for incidents, built from a conditional permission decision. */
export type IncidentFilter = PermissionCriteria<IncidentRuleQuery>;

/**
 * The queries the incident permission rules compile to.
 *
 * @public
 */
export type IncidentRuleQuery =
  | { rule: 'affectsOwnedEntity'; ownerRefs: string[] }
  | { rule: 'hasSeverity'; severities: string[] }
  | { rule: 'reportedBy'; userRefs: string[] };

/** A post-incident review as the store writes it. */
export interface IncidentReviewChange {
  rootCause: string;
  lessons: string;
  /** Replaces the incident's failed controls when given. */
  failedControls?: string[];
  remediationActions: ReviewActionInput[];
}

/** Who did something, for records and the timeline. */
export interface Actor {
  /** User entity ref or service principal subject. */
  ref: string;
}

/** Security incidents, their lifecycle and timeline. */
export interface IncidentStore {
  createIncident(options: {
    input: IncidentInput;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  getIncident(options: {
    id: string;
    filter?: IncidentFilter;
  }): Promise<Incident | undefined>;
  listIncidents(options: {
    query: IncidentQuery;
    filter?: IncidentFilter;
  }): Promise<Page<Incident>>;
  /** Throws ConflictError when `version` is stale. */
  updateIncident(options: {
    id: string;
    patch: IncidentPatch;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  /** Throws InputError for a jump the lifecycle forbids, ConflictError when stale. */
  transitionIncident(options: {
    id: string;
    to: IncidentStatus;
    version: number;
    note?: string;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  /**
   * Records the post-incident review: root cause, lessons, remediation
   * actions and, when given, the failed controls, in one change. Throws
   * InputError for an action id that is not one of this incident's.
   */
  setIncidentReview(options: {
    id: string;
    review: IncidentReviewChange;
    version: number;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  getIncidentTimeline(id: string): Promise<IncidentTimelineEntry[]>;
  /**
   * Opens an incident for security events a correlation rule grouped, in
   * the caller's transaction, so that the incident and the correlation
   * state commit together. Returns its id.
   */
  openCorrelatedIncident(options: {
    tx: Knex.Transaction;
    input: IncidentInput;
    actor: Actor;
    now: Date;
  }): Promise<string>;
  /**
   * Appends a `correlated` timeline entry to each incident: the security
   * events a rule attached to it. In the caller's transaction.
   */
  appendCorrelatedEvents(options: {
    tx: Knex.Transaction;
    entries: Array<{
      incidentId: string;
      actor: Actor;
      note: string;
      changes: Record<string, unknown>;
    }>;
    now: Date;
  }): Promise<void>;
}
