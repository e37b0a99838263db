import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isSecurityControlEntity,
  SECURITY_CONTROL_KIND,
  SecurityControlEntityV1alpha1,
  securityControlProblems,
} from '@open-itsm/plugin-security-management-common';

const EMPTY_TTL_MS = 2_000;

/**
 * Where the processor gets the valid SecurityControls of the catalog.
 *
 * @public
 */
export interface SecurityControlSource {
  /** The valid controls; an empty list when the catalog cannot be read yet. */
  list(): Promise<SecurityControlEntityV1alpha1[]>;
}

/**
 * Reads the SecurityControls from the catalog and keeps them for a short
 * time. A processor sees one entity at a time, so it needs the whole control
 * library to evaluate selectors; reading it once per processing pass, not
 * once per entity, keeps the catalog's processing loop cheap. The cache is
 * only an optimisation: every replica rebuilds it from the catalog, so
 * replicas agree within one TTL.
 */
export class SecurityControlIndex implements SecurityControlSource {
  private cached?: { at: number; controls: SecurityControlEntityV1alpha1[] };
  private inFlight?: Promise<SecurityControlEntityV1alpha1[]>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** How long a read stays fresh, in milliseconds. */
      ttlMs: number;
      now?: () => number;
    },
  ) {}

  async list(): Promise<SecurityControlEntityV1alpha1[]> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.at < this.ttlFor(this.cached)) {
      return this.cached.controls;
    }
    if (!this.inFlight) {
      this.inFlight = this.load(now).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  // At first start the catalog processes entities before any control has
  // been stitched; an empty library is re-read soon instead of being trusted
  // for a whole TTL.
  private ttlFor(cached: { controls: unknown[] }): number {
    return cached.controls.length
      ? this.options.ttlMs
      : Math.min(this.options.ttlMs, EMPTY_TTL_MS);
  }

  private async load(now: number): Promise<SecurityControlEntityV1alpha1[]> {
    const { catalog, auth, logger } = this.options;
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const { items } = await catalog.getEntities(
        { filter: { kind: SECURITY_CONTROL_KIND } },
        { credentials },
      );
      const controls = items.filter(
        (entity): entity is SecurityControlEntityV1alpha1 =>
          isSecurityControlEntity(entity) &&
          securityControlProblems(entity).length === 0,
      );
      this.cached = { at: now, controls };
      return controls;
    } catch (error) {
      // The catalog API is not reachable during the first moments of startup;
      // keep the last good list, and retry on the next entity.
      logger.warn(
        `Could not read SecurityControls from the catalog; control relations wait for the next processing pass: ${error}`,
      );
      return this.cached?.controls ?? [];
    }
  }
}
