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
  };
}
