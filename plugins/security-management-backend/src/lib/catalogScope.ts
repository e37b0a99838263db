import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AlertFilter } from '@open-itsm/plugin-security-management-common';

const PAGE_SIZE = 500;
/** Only what names an entity: refs are all an alert or a campaign keeps. */
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** What a scope (named refs and/or a catalog filter) selects now. */
export interface ResolvedCatalogScope {
  /** Full, lower-case refs, each once, sorted. */
  entityRefs: string[];
  /** Named refs the catalog does not have, each once. */
  unknownRefs: string[];
  /** How many entities the filter matched, or 'too-many' past the limit. */
  filterMatched?: number | 'too-many';
}

/**
 * Resolves a scope into catalog entities with the plugin's own credentials
 * (an alert or a campaign covers every entity it selects, whoever may read
 * them), paging the filter with cursors and stopping past `limit`. The
 * callers word the problems for their own fields.
 */
export async function resolveCatalogScope(options: {
  catalog: CatalogService;
  auth: AuthService;
  scope: { entityRefs?: string[]; filter?: AlertFilter };
  limit: number;
}): Promise<ResolvedCatalogScope> {
  const { catalog, scope, limit } = options;
  const credentials = await options.auth.getOwnServiceCredentials();
  const refs = new Set<string>();
  let unknownRefs: string[] = [];
  if (scope.entityRefs?.length) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: scope.entityRefs, fields: REF_FIELDS },
      { credentials },
    );
    const known = new Set(items.flatMap(e => (e ? [ownRef(e)] : [])));
    unknownRefs = [...new Set(scope.entityRefs.filter(r => !known.has(r)))];
    known.forEach(ref => refs.add(ref));
  }
  let filterMatched: ResolvedCatalogScope['filterMatched'];
  if (scope.filter) {
    const matched: string[] = [];
    let response = await catalog.queryEntities(
      { filter: scope.filter, fields: REF_FIELDS, limit: PAGE_SIZE },
      { credentials },
    );
    for (;;) {
      matched.push(...response.items.map(ownRef));
      const cursor = response.pageInfo.nextCursor;
      if (matched.length > limit || !cursor) break;
      response = await catalog.queryEntities(
        { cursor, fields: REF_FIELDS, limit: PAGE_SIZE },
        { credentials },
      );
    }
    filterMatched = matched.length > limit ? 'too-many' : matched.length;
    matched.forEach(ref => refs.add(ref));
  }
  return { entityRefs: [...refs].sort(), unknownRefs, filterMatched };
}
