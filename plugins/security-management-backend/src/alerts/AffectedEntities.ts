import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AlertFilter,
  MAX_ALERT_ENTITIES,
} from '@open-itsm/plugin-security-management-common';
import { inputError } from '../lib/inputProblems';

const PAGE_SIZE = 500;
/** Only what names an entity: refs are all an alert keeps. */
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

function ownRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/**
 * Resolves what an alert is raised for into catalog entities, now, with the
 * plugin's own credentials: named refs must exist, and a filter must match
 * at least one entity. Problems are a 400 naming the field.
 */
export class AffectedEntities {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;

  constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  /** Full, lower-case refs of the affected entities, each once, sorted. */
  async resolve(scope: {
    entityRefs?: string[];
    filter?: AlertFilter;
  }): Promise<string[]> {
    const problems: string[] = [];
    const refs = new Set<string>();
    if (scope.entityRefs?.length) {
      const known = await this.#known(scope.entityRefs);
      const unknown = scope.entityRefs.filter(ref => !known.has(ref));
      if (unknown.length) {
        problems.push(
          `entityRefs: not in the catalog: ${[...new Set(unknown)].join(', ')}`,
        );
      }
      known.forEach(ref => refs.add(ref));
    }
    if (scope.filter) {
      const matched = await this.#matching(scope.filter);
      if (matched === 'too-many') {
        problems.push(
          `filter: matches more than ${MAX_ALERT_ENTITIES} entities; narrow it`,
        );
      } else if (matched.length === 0) {
        problems.push('filter: matches no entity in the catalog');
      } else {
        matched.forEach(ref => refs.add(ref));
      }
    }
    if (problems.length) throw inputError(problems);
    if (refs.size > MAX_ALERT_ENTITIES) {
      throw inputError([
        `entityRefs: with the filter, more than ${MAX_ALERT_ENTITIES} entities; narrow the alert`,
      ]);
    }
    return [...refs].sort();
  }

  /** Which of these normalised refs the catalog has. */
  async #known(entityRefs: string[]): Promise<Set<string>> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs, fields: REF_FIELDS },
      { credentials },
    );
    const known = new Set<string>();
    for (const entity of items) {
      if (entity) known.add(ownRef(entity));
    }
    return known;
  }

  /** The refs of every entity matching a filter, paged with cursors. */
  async #matching(filter: AlertFilter): Promise<string[] | 'too-many'> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const refs: string[] = [];
    let response = await this.#catalog.queryEntities(
      { filter, fields: REF_FIELDS, limit: PAGE_SIZE },
      { credentials },
    );
    for (;;) {
      refs.push(...response.items.map(ownRef));
      if (refs.length > MAX_ALERT_ENTITIES) return 'too-many';
      const cursor = response.pageInfo.nextCursor;
      if (!cursor) return refs;
      response = await this.#catalog.queryEntities(
        { cursor, fields: REF_FIELDS, limit: PAGE_SIZE },
        { credentials },
      );
    }
  }
}
