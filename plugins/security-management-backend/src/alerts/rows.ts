import {
  AlertScope,
  SecurityAlert,
} from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso, toOptionalIso } from '../lib/rows';

export type AlertRow = {
  id: string;
  title: string;
  description: string;
  severity: string;
  precautions: string;
  scope: string;
  affected_entity_count: number | string;
  expires_at: DbMillis | null;
  /** As stored (active or resolved), or as at an instant when read so. */
  status: string;
  source: string;
  rule_id: string | null;
  rule_key: string | null;
  raised_by: string;
  raised_at: DbMillis;
  resolved_by: string | null;
  resolved_at: DbMillis | null;
  resolution: string | null;
};

export function rowToAlert(row: AlertRow): SecurityAlert {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    severity: row.severity as SecurityAlert['severity'],
    precautions: row.precautions,
    scope: JSON.parse(row.scope) as AlertScope,
    affectedEntityCount: Number(row.affected_entity_count),
    expiresAt: toOptionalIso(row.expires_at),
    status: row.status as SecurityAlert['status'],
    source: row.source as SecurityAlert['source'],
    ruleId: optional(row.rule_id),
    raisedBy: row.raised_by,
    raisedAt: toIso(row.raised_at),
    resolvedBy: optional(row.resolved_by),
    resolvedAt: toOptionalIso(row.resolved_at),
    resolution: optional(row.resolution),
  };
}
