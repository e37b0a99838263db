import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AlertFilter,
  MAX_CAMPAIGN_ENTITIES,
} from '@open-itsm/plugin-security-management-common';

const PAGE_SIZE = 500;
/** Only what names an entity: refs are all a campaign keeps. */
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

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
    const problems: string[] = [];
    const refs = new Set<string>();
    const credentials = await this.#auth.getOwnServiceCredentials();
    if (scope.entityRefs?.length) {
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: scope.entityRefs, fields: REF_FIELDS },
        { credentials },
      );
      const known = new Set(items.flatMap(e => (e ? [ownRef(e)] : [])));
      const unknown = scope.entityRefs.filter(ref => !known.has(ref));
      if (unknown.length) {
        problems.push(
          `entityRefs: not in the catalog: ${[...new Set(unknown)].join(', ')}`,
        );
      }
      known.forEach(ref => refs.add(ref));
    }
    if (scope.filter) {
      let matched = 0;
      let response = await this.#catalog.queryEntities(
        { filter: scope.filter, fields: REF_FIELDS, limit: PAGE_SIZE },
        { credentials },
      );
      for (;;) {
        matched += response.items.length;
        response.items.forEach(entity => refs.add(ownRef(entity)));
        const cursor = response.pageInfo.nextCursor;
        if (!cursor || refs.size > MAX_CAMPAIGN_ENTITIES) break;
        response = await this.#catalog.queryEntities(
          { cursor, fields: REF_FIELDS, limit: PAGE_SIZE },
          { credentials },
        );
      }
      if (matched === 0)
        problems.push('filter: matches no entity in the catalog');
    }
    if (refs.size > MAX_CAMPAIGN_ENTITIES) {
      problems.push(
        `filter: the scope has more than ${MAX_CAMPAIGN_ENTITIES} entities; narrow it`,
      );
    }
    return { entityRefs: [...refs].sort(), problems };
  }
}
