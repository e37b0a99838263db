import {
  AlertPage,
  AlertScope,
  AlertSeverity,
  AlertSource,
  AlertStatusFilter,
  SecurityAlert,
} from '@open-itsm/plugin-security-management-common';

/** An alert to store, with the entities it affects already resolved. */
export interface NewAlert {
  title: string;
  description: string;
  severity: AlertSeverity;
  precautions: string;
  scope: AlertScope;
  /** Full, lower-case entity refs, each once. */
  entityRefs: string[];
  expiresAt?: string;
  source: AlertSource;
  ruleId?: string;
  /** For a rule's alert: at most one alert is ever stored per key. */
  ruleKey?: string;
  raisedBy: string;
}

/**
 * Security alerts and the entities each affects. Reads answer each status as
 * at `now` (default: the current time): an active alert past its expiry is
 * `expired`.
 */
export interface AlertStore {
  /**
   * Stores an alert and its entities in one transaction. With a `ruleKey`
   * already used, nothing is written and the stored alert is returned with
   * `created: false`.
   */
  createAlert(options: {
    alert: NewAlert;
    now: Date;
  }): Promise<{ alert: SecurityAlert; created: boolean }>;
  getAlert(id: string, now?: Date): Promise<SecurityAlert | undefined>;
  /** Throws NotFoundError for an unknown id, ConflictError when already resolved. */
  resolveAlert(options: {
    id: string;
    resolvedBy: string;
    resolution: string;
    now: Date;
  }): Promise<SecurityAlert>;
  listAlerts(
    query: {
      status: AlertStatusFilter;
      entityRef?: string;
      limit: number;
      offset: number;
    },
    now?: Date,
  ): Promise<AlertPage>;
  /** The active, unexpired alerts affecting an entity, most severe first. */
  listEntityAlerts(entityRef: string, now?: Date): Promise<SecurityAlert[]>;
}
