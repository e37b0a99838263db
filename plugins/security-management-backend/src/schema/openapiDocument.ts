import { buildOpenApiDocument } from '@open-itsm/plugin-security-management-common';
import { JsonObject } from '@backstage/types';
import packageJson from '../../package.json';

let document: JsonObject | undefined;

/**
 * The plugin's OpenAPI 3.1 document, built once from the contract's route
 * table in -common (the same schemas the router validates with).
 */
export function loadOpenApiDocument(): JsonObject {
  document ??= buildOpenApiDocument({
    version: packageJson.version,
  }) as JsonObject;
  return document;
}
