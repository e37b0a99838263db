import { TestRecord } from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional, toIso } from '../lib/rows';

export type TestRecordRow = {
  id: string;
  control_ref: string;
  entity_ref: string;
  result: string;
  tested_at: DbMillis;
  tester: string;
  method: string;
  evidence_url: string | null;
  notes: string | null;
  external_id: string | null;
  recorded_at: DbMillis;
};

export type LatestTestRow = {
  entity_ref: string;
  control_ref: string;
  record_id: string;
  result: string;
  tested_at: DbMillis;
  /** Null only where the test was not found when the column was added. */
  recorded_at: DbMillis | null;
  due_at: DbMillis | null;
  evidence_url: string | null;
};

export function rowToTestRecord(row: TestRecordRow): TestRecord {
  return {
    id: row.id,
    controlRef: row.control_ref,
    entityRef: row.entity_ref,
    result: row.result as TestRecord['result'],
    testedAt: toIso(row.tested_at),
    tester: row.tester,
    method: row.method as TestRecord['method'],
    evidenceUrl: optional(row.evidence_url),
    notes: optional(row.notes),
    externalId: optional(row.external_id),
    recordedAt: toIso(row.recorded_at),
  };
}
