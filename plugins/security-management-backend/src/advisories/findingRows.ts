import {
  AdvisoryFinding,
  AdvisoryMatch,
  ComponentSource,
  isAdvisoryFindingOverdue,
} from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso, toOptionalIso } from '../lib/rows';
import { ParsedAdvisory } from './matching';
import { toApiAdvisory } from './AdvisoryFeedStore';

export type FindingRow = {
  id: string;
  entity_ref: string;
  entity_title: string | null;
  owner: string | null;
  advisory_id: string;
  severity: string;
  known_exploited: boolean | number;
  kev: string | null;
  status: string;
  justification: string | null;
  note: string | null;
  due_at: DbMillis;
  matches: string;
  first_seen_at: DbMillis;
  updated_at: DbMillis;
  updated_by: string | null;
  resolved_at: DbMillis | null;
};

/** A finding row joined with its advisory's columns (null once gone). */
export type FindingWithAdvisoryRow = FindingRow & {
  a_feed_id: string | null;
  a_source: string | null;
  a_summary: string | null;
  a_aliases: string | null;
  a_published_at: DbMillis | null;
  a_modified_at: DbMillis | null;
  a_references: string | null;
};

export const FINDING_WITH_ADVISORY_COLUMNS = [
  'f.*',
  'a.feed_id as a_feed_id',
  'a.source as a_source',
  'a.summary as a_summary',
  'a.aliases as a_aliases',
  'a.published_at as a_published_at',
  'a.modified_at as a_modified_at',
  'a.references as a_references',
];

export function rowToFinding(
  row: FindingWithAdvisoryRow,
  now: Date,
): AdvisoryFinding {
  const kev = row.kev ? JSON.parse(row.kev) : undefined;
  const advisory: ParsedAdvisory = {
    id: row.advisory_id,
    source: (row.a_source ?? 'osv') as ParsedAdvisory['source'],
    summary:
      row.a_summary ?? 'This advisory is no longer in any configured feed',
    severity: row.severity as ParsedAdvisory['severity'],
    aliases: row.a_aliases ? JSON.parse(row.a_aliases) : [],
    publishedAt: toOptionalIso(row.a_published_at),
    modifiedAt: toOptionalIso(row.a_modified_at),
    references: row.a_references ? JSON.parse(row.a_references) : [],
    affected: [],
  };
  const status = row.status as AdvisoryFinding['status'];
  const dueAt = toIso(row.due_at);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    entityTitle: optional(row.entity_title),
    owner: optional(row.owner),
    advisory: toApiAdvisory(advisory, row.a_feed_id ?? '', kev),
    status,
    justification: optional(
      row.justification,
    ) as AdvisoryFinding['justification'],
    note: optional(row.note),
    dueAt,
    overdue: isAdvisoryFindingOverdue({ status, dueAt, now }),
    matches: JSON.parse(row.matches) as AdvisoryMatch[],
    firstSeenAt: toIso(row.first_seen_at),
    updatedAt: toIso(row.updated_at),
    updatedBy: optional(row.updated_by),
    resolvedAt: toOptionalIso(row.resolved_at),
  };
}

export type SourceRow = {
  entity_ref: string;
  kind: string;
  location: string;
  status: string;
  error: string | null;
  warnings: string;
  component_count: number;
  read_at: DbMillis;
};

export function rowToSource(row: SourceRow): ComponentSource {
  return {
    entityRef: row.entity_ref,
    kind: row.kind as ComponentSource['kind'],
    location: row.location,
    status: row.status as ComponentSource['status'],
    error: optional(row.error),
    warnings: JSON.parse(row.warnings),
    componentCount: Number(row.component_count),
    readAt: toIso(row.read_at),
  };
}

export function sourceToRow(source: ComponentSource): SourceRow {
  return {
    entity_ref: source.entityRef,
    kind: source.kind,
    location: source.location,
    status: source.status,
    error: source.error ?? null,
    warnings: JSON.stringify(source.warnings),
    component_count: source.componentCount,
    read_at: Date.parse(source.readAt),
  };
}
