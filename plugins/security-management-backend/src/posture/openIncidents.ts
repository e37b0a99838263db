import {
  emptyIncidentCounts,
  IncidentSeverity,
  IncidentSeverityCounts,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { IncidentFilter } from '../incidents/IncidentStore';
import { applyIncidentFilter } from '../incidents/incidentFilter';
import { chunk, DbMillis, IN_LIST_SIZE } from '../lib/rows';

/*
 * Open incidents shown beside posture, counted per request with the
 * caller's permission filter (the one GET /incidents applies) and never
 * cached: what one viewer may count, another may not. Incidents are few
 * next to test records, so a grouped query over the open ones is cheap.
 */

/** Counts of open incidents by severity, by entity ref or group key. */
export type OpenIncidentCounts = Map<string | null, IncidentSeverityCounts>;

/** One row of a count: a key, a severity and how many. */
export type CountRow = {
  key: string | null;
  severity: IncidentSeverity;
  count: DbMillis;
};

/** The open incidents with their affected entities as `ie`, filtered. */
function openIncidentEntities(
  db: Knex,
  filter: IncidentFilter | undefined,
): Knex.QueryBuilder {
  // The filter's rules refer to the table by its name, so it is not aliased.
  const query = db('incidents')
    .join('incident_entities as ie', 'ie.incident_id', 'incidents.id')
    .whereNot('incidents.status', 'closed');
  if (filter) applyIncidentFilter(db, query, filter);
  return query;
}

/**
 * The open incidents of one entity by severity when the caller may read
 * them all: the per-entity posture's hot path, run as a prepared statement.
 */
export const ENTITY_OPEN_INCIDENTS_SQL = `
  SELECT ie.entity_ref AS key, i.severity AS severity, count(*) AS count
  FROM incidents i
  JOIN incident_entities ie ON ie.incident_id = i.id
  WHERE i.status <> 'closed' AND ie.entity_ref = ?
  GROUP BY ie.entity_ref, i.severity`;

/** Adds count rows to the counts by key. */
export function tally(rows: CountRow[], into: OpenIncidentCounts): void {
  for (const row of rows) {
    let counts = into.get(row.key);
    if (!counts) {
      counts = emptyIncidentCounts();
      into.set(row.key, counts);
    }
    counts[row.severity] += Number(row.count);
  }
}

/**
 * The open incidents the filter lets through, by severity, for each of the
 * entities (all entities when there are more than fit one IN list).
 * Entities without any are not in the map.
 */
export async function countOpenIncidentsByEntity(
  db: Knex,
  options: { entityRefs: string[]; filter?: IncidentFilter },
): Promise<OpenIncidentCounts> {
  const { entityRefs, filter } = options;
  const counts: OpenIncidentCounts = new Map();
  if (entityRefs.length === 0) return counts;
  const count = (refs?: string[]) => {
    const query = openIncidentEntities(db, filter)
      .groupBy('ie.entity_ref', 'incidents.severity')
      .select(db.ref('ie.entity_ref').as('key'), 'incidents.severity')
      .count({ count: '*' });
    if (refs) query.whereIn('ie.entity_ref', refs);
    return query as Promise<CountRow[]>;
  };
  // A whole report asks for every entity: one scan of the open incidents
  // beats a string of IN lists.
  const batches =
    entityRefs.length > IN_LIST_SIZE
      ? [await count()]
      : await Promise.all(chunk(entityRefs, IN_LIST_SIZE).map(count));
  for (const rows of batches) tally(rows, counts);
  return counts;
}

/**
 * The open incidents the filter lets through, by severity, for each value
 * of an entity column among entities still in the catalog: an incident that
 * affects several entities of a group counts once there.
 */
export async function countOpenIncidentsByGroup(
  db: Knex,
  options: { column: string; filter?: IncidentFilter },
): Promise<OpenIncidentCounts> {
  const { column, filter } = options;
  const rows: CountRow[] = await openIncidentEntities(db, filter)
    .join('entities as e', 'e.entity_ref', 'ie.entity_ref')
    .whereNull('e.removed_at')
    .groupBy(`e.${column}`, 'incidents.severity')
    .select(db.ref(`e.${column}`).as('key'), 'incidents.severity')
    .countDistinct({ count: 'incidents.id' });
  const counts: OpenIncidentCounts = new Map();
  tally(rows, counts);
  return counts;
}
