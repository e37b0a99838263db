import { ControlSummary } from '@open-itsm/plugin-security-management-common';
import { DbMillis, optional } from '../lib/rows';

/** A row of `controls`: a SecurityControl of the catalog. */
export type ControlRow = {
  control_ref: string;
  title: string;
  description: string | null;
  owner: string;
  category: string;
  criticality: string;
  cadence: string;
  method: string;
  procedure: string | null;
  frameworks: string;
  updated_at: DbMillis;
};

/** A row of `entities`: a catalog entity some control applies to. */
export type EntityRow = {
  entity_ref: string;
  kind: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  domain: string | null;
  risk_tier: number;
  removed_at: DbMillis | null;
  updated_at: DbMillis;
};

export function rowToControl(row: ControlRow): ControlSummary {
  return {
    ref: row.control_ref,
    title: row.title,
    description: optional(row.description),
    owner: row.owner,
    category: row.category as ControlSummary['category'],
    criticality: row.criticality as ControlSummary['criticality'],
    cadence: row.cadence,
    method: row.method as ControlSummary['method'],
    procedure: optional(row.procedure),
    frameworks: JSON.parse(row.frameworks),
  };
}
