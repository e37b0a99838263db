import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

const PAGE_SIZE = 500;

/**
 * Every entity a catalog filter selects, paging with cursors so any size
 * works, read with the plugin's own credentials.
 */
export async function readAllEntities(options: {
  catalog: CatalogService;
  auth: AuthService;
  filter: Record<string, string | symbol | (string | symbol)[]>;
  fields?: string[];
}): Promise<Entity[]> {
  const { catalog, auth, filter, fields } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const entities: Entity[] = [];
  let response = await catalog.queryEntities(
    { filter, fields, limit: PAGE_SIZE },
    { credentials },
  );
  entities.push(...response.items);
  while (response.pageInfo.nextCursor) {
    response = await catalog.queryEntities(
      { cursor: response.pageInfo.nextCursor, limit: PAGE_SIZE, fields },
      { credentials },
    );
    entities.push(...response.items);
  }
  return entities;
}
