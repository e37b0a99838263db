import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AlertFilter,
  MAX_ALERT_ENTITIES,
} from '@open-itsm/plugin-security-management-common';
import { resolveCatalogScope } from '../lib/catalogScope';
import { inputError } from '../lib/inputProblems';

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
    const resolved = await resolveCatalogScope({
      catalog: this.#catalog,
      auth: this.#auth,
      scope,
      limit: MAX_ALERT_ENTITIES,
    });
    const problems: string[] = [];
    if (resolved.unknownRefs.length) {
      problems.push(
        `entityRefs: not in the catalog: ${resolved.unknownRefs.join(', ')}`,
      );
    }
    if (resolved.filterMatched === 'too-many') {
      problems.push(
        `filter: matches more than ${MAX_ALERT_ENTITIES} entities; narrow it`,
      );
    } else if (resolved.filterMatched === 0) {
      problems.push('filter: matches no entity in the catalog');
    }
    if (problems.length) throw inputError(problems);
    if (resolved.entityRefs.length > MAX_ALERT_ENTITIES) {
      throw inputError([
        `entityRefs: with the filter, more than ${MAX_ALERT_ENTITIES} entities; narrow the alert`,
      ]);
    }
    return resolved.entityRefs;
  }
}
