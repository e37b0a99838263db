import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import {
  AlertFilter,
  AlertSeverity,
  normalizeEntityRef,
  SecurityAlert,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { inputError } from '../lib/inputProblems';
import { AffectedEntities } from './AffectedEntities';
import { AlertStore } from './AlertStore';

/** The auditor severity of raising an alert of a severity. */
export function raiseAuditSeverity(
  severity: unknown,
): AuditorServiceEventSeverityLevel {
  return severity === 'critical' || severity === 'high' ? 'high' : 'medium';
}

/** What an audit event names about an alert. */
export function auditedAlert(alert: SecurityAlert) {
  return {
    alertId: alert.id,
    title: alert.title.slice(0, 300),
    severity: alert.severity,
    affectedEntityCount: alert.affectedEntityCount,
  };
}

/**
 * Text from a feed as the API would take it: without NUL characters, which
 * PostgreSQL cannot store, and within the API's limits.
 */
function clip(value: string, max: number): string {
  return value.replaceAll('\u0000', '').trim().slice(0, max);
}

/** An alert a rule of the backend raises. */
export interface RuleAlertInput {
  /**
   * What makes two raises the same alert, e.g. `kev:CVE-2024-3400`: a key
   * already used raises nothing, on any replica, even once resolved.
   */
  ruleKey: string;
  /** The rule, shown with the alert (`kev-production-service`). */
  ruleId: string;
  title: string;
  description: string;
  severity: AlertSeverity;
  precautions: string;
  /** The affected entities; the rule found them in the catalog. */
  entityRefs: string[];
  expiresAt?: string;
}

/**
 * Security alerts: raised by a manager for entities named or matched in the
 * catalog, or by a rule of the backend (such as the advisories' "a new KEV
 * entry matches a production service"), and resolved once.
 */
export class AlertService {
  readonly #store: AlertStore;
  readonly #entities: AffectedEntities;
  readonly #auditor: AuditorService;

  constructor(options: {
    store: AlertStore;
    entities: AffectedEntities;
    auditor: AuditorService;
  }) {
    this.#store = options.store;
    this.#entities = options.entities;
    this.#auditor = options.auditor;
  }

  /**
   * Raises an alert for the entities named and those the filter matches
   * now. The caller audits it.
   */
  async raiseAlert(options: {
    input: {
      title: string;
      description: string;
      severity: AlertSeverity;
      precautions: string;
      entityRefs?: string[];
      filter?: AlertFilter;
      expiresAt?: string;
    };
    raisedBy: string;
    now: Date;
  }): Promise<SecurityAlert> {
    const { input, raisedBy, now } = options;
    if (input.expiresAt && toMillis(input.expiresAt) <= now.getTime()) {
      throw inputError([`expiresAt: ${input.expiresAt} must be in the future`]);
    }
    const entityRefs = await this.#entities.resolve({
      entityRefs: input.entityRefs,
      filter: input.filter,
    });
    const { alert } = await this.#store.createAlert({
      alert: {
        title: input.title,
        description: input.description,
        severity: input.severity,
        precautions: input.precautions,
        scope: {
          ...(input.entityRefs
            ? { entityRefs: [...new Set(input.entityRefs)] }
            : {}),
          ...(input.filter ? { filter: input.filter } : {}),
        },
        entityRefs,
        expiresAt: input.expiresAt,
        source: 'manual',
        raisedBy,
      },
      now,
    });
    return alert;
  }

  /** Resolves an alert once; the caller audits it. */
  resolveAlert(options: {
    id: string;
    resolution: string;
    resolvedBy: string;
    now: Date;
  }): Promise<SecurityAlert> {
    return this.#store.resolveAlert(options);
  }

  /**
   * Raises a rule's alert unless one with its `ruleKey` exists: safe to call
   * on every run of a rule and from every replica at once. A new alert is
   * audited as raised by the rule; an existing one is returned as it is
   * (`created: false`), resolved or not.
   */
  async raiseRuleAlert(
    input: RuleAlertInput,
  ): Promise<{ alert: SecurityAlert; created: boolean }> {
    const severityLevel = raiseAuditSeverity(input.severity);
    const meta = {
      trigger: 'rule',
      ruleId: input.ruleId,
      ruleKey: input.ruleKey,
    };
    let result: { alert: SecurityAlert; created: boolean };
    try {
      result = await this.#createRuleAlert(input);
    } catch (error) {
      const event = await this.#auditor.createEvent({
        eventId: 'alert-raise',
        severityLevel,
        meta,
      });
      await event.fail({ error: toError(error) });
      throw error;
    }
    // Only a change is an audit event: a rule re-raising its alert on every
    // run changes nothing.
    if (result.created) {
      const event = await this.#auditor.createEvent({
        eventId: 'alert-raise',
        severityLevel,
        meta,
      });
      await event.success({
        meta: { ...meta, ...auditedAlert(result.alert) },
      });
    }
    return result;
  }

  async #createRuleAlert(input: RuleAlertInput) {
    const entityRefs = [
      ...new Set(
        input.entityRefs.map(ref => {
          const normalised = normalizeEntityRef(ref);
          if (!normalised) {
            throw new TypeError(`'${ref}' is not an entity ref`);
          }
          return normalised;
        }),
      ),
    ].sort();
    const title = clip(input.title, 200);
    if (entityRefs.length === 0 || !title) {
      throw new TypeError('a rule alert needs a title and at least one entity');
    }
    return this.#store.createAlert({
      alert: {
        title,
        description: clip(input.description, 10000),
        severity: input.severity,
        precautions: clip(input.precautions, 5000),
        scope: { entityRefs },
        entityRefs,
        expiresAt: input.expiresAt,
        source: 'rule',
        ruleId: input.ruleId,
        ruleKey: input.ruleKey,
        raisedBy: `rule:${input.ruleId}`,
      },
      now: new Date(),
    });
  }
}
