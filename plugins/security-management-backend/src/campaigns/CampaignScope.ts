import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AlertFilter,
  MAX_CAMPAIGN_ENTITIES,
} from '@open-itsm/plugin-security-management-common';
import { resolveCatalogScope } from '../lib/catalogScope';

/**
 * Resolves a campaign's scope into catalog entities, now, with the plugin's
 * own credentials (a manager's campaign covers every entity it selects,
 * whoever may read them). Answers the problems, each naming its field.
 */
export class CampaignScope {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;

  constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  /** Full, lower-case refs, each once, sorted; or what is wrong. */
  async resolve(scope: {
    entityRefs?: string[];
    filter?: AlertFilter;
  }): Promise<{ entityRefs: string[]; problems: string[] }> {
    const resolved = await resolveCatalogScope({
      catalog: this.#catalog,
      auth: this.#auth,
      scope,
      limit: MAX_CAMPAIGN_ENTITIES,
    });
    const problems: string[] = [];
    if (resolved.unknownRefs.length) {
      problems.push(
        `entityRefs: not in the catalog: ${resolved.unknownRefs.join(', ')}`,
      );
    }
    if (resolved.filterMatched === 0) {
      problems.push('filter: matches no entity in the catalog');
    }
    if (
      resolved.filterMatched === 'too-many' ||
      resolved.entityRefs.length > MAX_CAMPAIGN_ENTITIES
    ) {
      problems.push(
        `filter: the scope has more than ${MAX_CAMPAIGN_ENTITIES} entities; narrow it`,
      );
    }
    return { entityRefs: resolved.entityRefs, problems };
  }
}
