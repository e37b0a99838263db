import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the Security Management plugins. */
  securityManagement?: {
    /**
     * How often an entity is reviewed, by its risk tier
     * (annotation `security.open-itsm.dev/risk-tier`), as ISO-8601
     * durations. Defaults: tier1 P90D, tier2 P180D, tier3 P365D.
     */
    reviewCadence?: {
      tier1?: string;
      tier2?: string;
      tier3?: string;
    };
    /**
     * How long before its due date a review counts as "due soon", as an
     * ISO-8601 duration. Default P30D.
     */
    reviewDueSoon?: string;
    reviews?: {
      /**
       * The catalog changes that make a review required before its due
       * date, noticed by the catalog sync: any of `lifecycle-production`,
       * `owner-changed`, `tier1-dependency`, `provided-api`,
       * `risk-tier-raised`. Default all; `[]` turns change detection off.
       */
      triggers?: string[];
    };
    sync?: {
      /**
       * How often the catalog is read for which controls apply to which
       * entities, e.g. `{ minutes: 5 }` (the default) or `PT5M`.
       */
      frequency?: HumanDuration | string;
    };
    /**
     * Groups whose members manage security, for permission policies that
     * use `readSecurityManagerGroups`. Default
     * `['group:default/security-team']`.
     */
    managerGroups?: string[];
    /**
     * Security events and the correlation rules that turn them into
     * incidents. Rules are detection logic owned by the security team: they
     * live here, reviewed and deployed with the backend, not in the catalog.
     */
    correlation?: {
      /**
       * Events-system topics to subscribe to (default `['security']`).
       * POST /security-events takes one of them (default the first).
       */
      topics?: string[];
      /**
       * How long events not attached to an incident are kept, as an ISO-8601
       * duration (default P30D). A daily task deletes older ones.
       */
      retention?: string;
      /** The rules; a rule that cannot run stops the backend at startup. */
      rules?: Array<{
        /** Stable id: lower-case letters, digits and dashes. */
        id: string;
        title: string;
        description?: string;
        /** Only events of this topic; by default any subscribed topic. */
        topic?: string;
        /**
         * Event filtering: every condition must hold. Keys are dotted field
         * paths (`source.ip`); a value must equal a string, number or
         * boolean, be one of a list of strings, or `{ exists: true|false }`.
         */
        match: {
          [path: string]:
            | string
            | number
            | boolean
            | string[]
            | { exists: boolean };
        };
        /**
         * Dotted field paths whose values group events; an event lacking
         * one does not match (it is counted). The entity always groups too.
         */
        fingerprint: string[];
        /** Dotted path to the affected entity ref (default kind Component). */
        entity: string;
        /** How many events of one fingerprint within the window open an incident (≥ 1). */
        threshold: number;
        /** ISO-8601 duration, e.g. PT10M; shorter than the retention. */
        window: string;
        incident: {
          /** May use `{{count}}` and `{{field.path}}` (from the latest event). */
          title: string;
          severity: 'critical' | 'high' | 'medium' | 'low';
          description?: string;
        };
      }>;
    };
    /** Security advisory feeds, and how long entities have to act. */
    advisories?: {
      /**
       * The feeds, read on the schedule through Backstage's UrlReader. An
       * `osv` target is a folder or repository tree of OSV JSON files, one
       * `.json` file (a record or an array), or a `.zip` archive such as
       * OSV's `<ecosystem>/all.zip`; a `kev` target is CISA's catalog of
       * known exploited vulnerabilities (JSON). A target without a scheme
       * is a local path relative to the backend's working directory.
       */
      feeds?: Array<{
        /** Stable id: lower-case letters, digits and dashes. */
        id: string;
        type: 'osv' | 'kev';
        target: string;
      }>;
      /** How often the feeds and SBOMs are read; default 6 hours. */
      frequency?: HumanDuration | string;
      /** How long one read may take; default 30 minutes. */
      timeout?: HumanDuration | string;
      /**
       * How long after first seen a finding is due, by severity (ISO-8601).
       * Defaults: critical P15D, high P30D, moderate P90D, low P180D,
       * unknown P90D. A known exploited vulnerability is due when CISA
       * says.
       */
      dueBySeverity?: {
        critical?: string;
        high?: string;
        moderate?: string;
        low?: string;
        unknown?: string;
      };
      /**
       * A known exploited vulnerability newly found on an entity in one of
       * these lifecycles raises a security alert. Default
       * `['production']`; an empty list turns the rule off.
       */
      alertOnKnownExploited?: { lifecycles?: string[] };
      /**
       * Worker threads that parse the SBOMs and match them while the main
       * thread reads and writes. Default: one per core (during a refresh
       * the main thread mostly waits on the reader and the database); 0
       * parses and matches on the main thread.
       */
      matchWorkers?: number;
    };
    /**
     * The posture history behind the trends: today's snapshot of every
     * entity's posture, taken on this schedule (each run updates the day's
     * rows; one task across replicas).
     */
    history?: {
      /** Days of history kept; older days are deleted. Default 400. */
      retentionDays?: number;
      /**
       * Days before the first snapshot computed once from the test, review,
       * exception and advisory records (never before the earliest test or
       * review); 0 turns it off. Default 30.
       */
      backfillDays?: number;
      /** How often today's snapshot is taken; default every hour. */
      frequency?: HumanDuration | string;
    };
    /**
     * Notifications to the owners of entities through Backstage's
     * notifications (needs `@backstage/plugin-notifications-backend`).
     */
    notifications?: {
      /** Whether anything is sent. Default false. */
      enabled?: boolean;
      digest?: {
        /** The hour (UTC, 0-23) the daily digest is sent. Default 8. */
        hour?: number;
        /**
         * Runs the first digest this long after the first start instead of
         * at the hour, e.g. `{ minutes: 2 }` for a development backend.
         */
        initialDelay?: HumanDuration | string;
      };
      /**
       * How far ahead the digest reminds of an approved exception's
       * expiry, as an ISO-8601 duration. Default P14D.
       */
      exceptionsExpiringWithin?: string;
      immediate?: {
        /**
         * How often incident changes and raised alerts are looked for.
         * Default `{ minutes: 1 }`.
         */
        frequency?: HumanDuration | string;
      };
    };
  };
}
