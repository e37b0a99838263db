import { Knex } from 'knex';
import { chunk, IN_LIST_SIZE } from '../lib/rows';

/** A change of an incident that its owners are told about at once. */
export interface IncidentChange {
  /** The timeline entry's id: the change's identity, once across replicas. */
  timelineId: string;
  incidentId: string;
  action: 'created' | 'updated' | 'transitioned';
  fromStatus?: string;
  toStatus?: string;
  severity: string;
  /** Who made the change: not told about it. */
  actor: string;
  /** The entities the change concerns, by owner. */
  entitiesByOwner: Map<string, string[]>;
}

/** An active alert raised recently, with its affected entities by owner. */
export interface RaisedAlert {
  id: string;
  title: string;
  severity: string;
  entitiesByOwner: Map<string, string[]>;
}

/** The current owners of entities still in the catalog, by owner. */
export async function entitiesByOwner(
  db: Knex,
  entityRefs: string[],
): Promise<Map<string, string[]>> {
  const byOwner = new Map<string, string[]>();
  for (const part of chunk([...new Set(entityRefs)], IN_LIST_SIZE)) {
    const rows: Array<{ entity_ref: string; owner: string }> = await db(
      'entities',
    )
      .whereIn('entity_ref', part)
      .whereNull('removed_at')
      .whereNotNull('owner')
      .select('entity_ref', 'owner');
    for (const row of rows) {
      byOwner.set(row.owner, [
        ...(byOwner.get(row.owner) ?? []),
        row.entity_ref,
      ]);
    }
  }
  return byOwner;
}

function addedEntities(changes: string | null): string[] {
  if (!changes) return [];
  try {
    const { affectedEntities } = JSON.parse(changes);
    const from: string[] = affectedEntities?.from ?? [];
    const to: string[] = affectedEntities?.to ?? [];
    return to.filter(ref => !from.includes(ref));
  } catch {
    return [];
  }
}

/**
 * The incident changes since a time that concern owners: an incident
 * reported (all its entities), moved to another status (all its entities)
 * or given more affected entities (the new ones). Read from the incident
 * timeline, which the incident store writes in the change's transaction:
 * what is read here was committed.
 */
export async function incidentChangesSince(
  db: Knex,
  since: Date,
): Promise<IncidentChange[]> {
  const rows: Array<Record<string, any>> = await db('incident_timeline as t')
    .join('incidents as i', 'i.id', 't.incident_id')
    .where('t.at', '>=', since.getTime())
    .whereIn('t.action', ['created', 'updated', 'transitioned'])
    .orderBy('t.id')
    .select(
      't.id',
      't.incident_id',
      't.action',
      't.from_status',
      't.to_status',
      't.changes',
      't.actor',
      'i.severity',
    );
  const changes: IncidentChange[] = [];
  const linked = new Map<string, string[]>();
  const incidentIds = rows
    .filter(row => row.action !== 'updated')
    .map(row => row.incident_id);
  for (const part of chunk([...new Set(incidentIds)], IN_LIST_SIZE)) {
    const links: Array<{ incident_id: string; entity_ref: string }> = await db(
      'incident_entities',
    )
      .whereIn('incident_id', part)
      .select('incident_id', 'entity_ref');
    for (const link of links) {
      linked.set(link.incident_id, [
        ...(linked.get(link.incident_id) ?? []),
        link.entity_ref,
      ]);
    }
  }
  for (const row of rows) {
    const concerned =
      row.action === 'updated'
        ? addedEntities(row.changes)
        : linked.get(row.incident_id) ?? [];
    if (concerned.length === 0) continue;
    changes.push({
      timelineId: String(row.id),
      incidentId: row.incident_id,
      action: row.action,
      fromStatus: row.from_status ?? undefined,
      toStatus: row.to_status ?? undefined,
      severity: row.severity,
      actor: row.actor,
      entitiesByOwner: await entitiesByOwner(db, concerned),
    });
  }
  return changes;
}

/** The alerts raised since a time and still active, by owner. */
export async function alertsRaisedSince(
  db: Knex,
  options: { since: Date; now: Date },
): Promise<RaisedAlert[]> {
  const now = options.now.getTime();
  const alerts: Array<Record<string, any>> = await db('security_alerts')
    .where('status', 'active')
    .where('raised_at', '>=', options.since.getTime())
    .where(q => q.whereNull('expires_at').orWhere('expires_at', '>', now))
    .orderBy('raised_at')
    .select('id', 'title', 'severity');
  const raised: RaisedAlert[] = [];
  for (const alert of alerts) {
    const entities: Array<{ entity_ref: string }> = await db(
      'security_alert_entities',
    )
      .where('alert_id', alert.id)
      .select('entity_ref');
    raised.push({
      id: alert.id,
      title: alert.title,
      severity: alert.severity,
      entitiesByOwner: await entitiesByOwner(
        db,
        entities.map(entity => entity.entity_ref),
      ),
    });
  }
  return raised;
}
