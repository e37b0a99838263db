import {
  Incident,
  IncidentInput,
  IncidentPatch,
  IncidentQuery,
  IncidentStatus,
  IncidentTimelineEntry,
  Page,
  PostIncidentReview,
} from '@open-itsm/plugin-security-management-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';

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
  setIncidentReview(options: {
    id: string;
    review: PostIncidentReview;
    version: number;
    actor: Actor;
    now: Date;
  }): Promise<Incident>;
  getIncidentTimeline(id: string): Promise<IncidentTimelineEntry[]>;
  /**
   * Security events a correlation rule attached to an incident: opens the
   * incident first when `open` is given, then appends a `correlated`
   * timeline entry. Runs in the caller's transaction, so that the incident,
   * its timeline and the correlation state commit together. Returns the
   * incident's id.
   */
  recordCorrelatedEvents(options: {
    tx: Knex.Transaction;
    target: { incidentId: string } | { open: IncidentInput };
    entry: { note: string; changes: Record<string, unknown> };
    actor: Actor;
    now: Date;
  }): Promise<string>;
}
