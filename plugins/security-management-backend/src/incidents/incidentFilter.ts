import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { Knex } from 'knex';
import { IncidentFilter, IncidentRuleQuery } from './IncidentStore';

/**
 * Adds the where-clauses of a conditional permission decision to a query
 * over the `incidents` table, so hidden incidents are neither listed nor
 * counted.
 */
export function applyIncidentFilter(
  db: Knex,
  query: Knex.QueryBuilder,
  filter: IncidentFilter,
): void {
  if (isAndCriteria(filter)) {
    // An explicit "true" keeps an empty allOf meaningful under a not.
    query.andWhereRaw('1 = 1');
    for (const criteria of filter.allOf) {
      query.andWhere(sub => applyIncidentFilter(db, sub, criteria));
    }
  } else if (isOrCriteria(filter)) {
    if (filter.anyOf.length === 0) {
      query.andWhereRaw('1 = 0');
      return;
    }
    query.andWhere(group => {
      for (const criteria of filter.anyOf) {
        group.orWhere(sub => applyIncidentFilter(db, sub, criteria));
      }
    });
  } else if (isNotCriteria(filter)) {
    query.whereNot(sub => applyIncidentFilter(db, sub, filter.not));
  } else {
    applyRule(db, query, filter);
  }
}

function applyRule(
  db: Knex,
  query: Knex.QueryBuilder,
  rule: IncidentRuleQuery,
): void {
  switch (rule.rule) {
    case 'affectsOwnedEntity':
      query.whereExists(
        db('incident_entities as fie')
          .join('entities as fe', 'fe.entity_ref', 'fie.entity_ref')
          .whereRaw('?? = ??', ['fie.incident_id', 'incidents.id'])
          .whereIn('fe.owner', rule.ownerRefs)
          .select(db.raw('1')),
      );
      return;
    case 'hasSeverity':
      query.whereIn('incidents.severity', rule.severities);
      return;
    case 'reportedBy':
      query.whereIn('incidents.created_by', rule.userRefs);
      return;
    default:
      // An unknown rule must hide rather than reveal.
      query.whereRaw('1 = 0');
  }
}
