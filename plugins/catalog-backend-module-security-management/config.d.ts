import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  securityManagement?: {
    catalog?: {
      /**
       * How long each replica trusts its copy of the SecurityControl library
       * while processing entities, in seconds (default 30). An empty library
       * is re-read after 2 seconds.
       */
      controlCacheSeconds?: number;
    };
    oscal?: {
      /**
       * OSCAL catalogs or resolved profile catalogs (JSON) whose controls and
       * enhancements become SecurityRequirement entities, one entity
       * provider per import.
       */
      imports?: Array<{
        /** Stable id: lower-case letters, digits and dashes. */
        id: string;
        /** Framework id the requirements get, as controls map to it, e.g. nist-sp-800-53-rev5. One import per framework. */
        framework: string;
        /** A URL the UrlReader reads, or a path (a local file relative to the backend's working directory). */
        target: string;
        /** Entity ref of the group that owns the requirements. */
        owner: string;
        /** When to read it; by default every hour, first 15 seconds after start. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      }>;
    };
  };
}
