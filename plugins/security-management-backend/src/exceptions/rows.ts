import { SecurityException } from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso, toOptionalIso } from '../lib/rows';

export type ExceptionRow = {
  id: string;
  control_ref: string;
  entity_ref: string;
  justification: string;
  status: string;
  requested_by: string;
  requested_at: DbMillis;
  decided_by: string | null;
  decided_at: DbMillis | null;
  decision_note: string | null;
  expires_at: DbMillis;
};

export function rowToException(row: ExceptionRow): SecurityException {
  return {
    id: row.id,
    controlRef: row.control_ref,
    entityRef: row.entity_ref,
    justification: row.justification,
    status: row.status as SecurityException['status'],
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    decidedBy: optional(row.decided_by),
    decidedAt: toOptionalIso(row.decided_at),
    decisionNote: optional(row.decision_note),
    expiresAt: toIso(row.expires_at),
  };
}
