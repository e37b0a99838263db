import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

let document: Promise<JsonObject> | undefined;

/** The plugin's OpenAPI 3.0 document (src/schema/openapi.yaml), read once. */
export function loadOpenApiDocument(): Promise<JsonObject> {
  if (!document) {
    const path = resolvePackagePath(
      '@open-itsm/plugin-security-management-backend',
      'src/schema/openapi.yaml',
    );
    document = readFile(path, 'utf8').then(text => parse(text) as JsonObject);
    // A failed read is retried on the next request rather than cached.
    document.catch(() => {
      document = undefined;
    });
  }
  return document;
}
