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
  };
}
