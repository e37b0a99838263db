import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import catalogModule from '..';

// The real catalog backend with this module over a real YAML location, for
// tests that assert what the catalog graph and API will show.

/** The group that owns the fixtures' entities, as a catalog.yaml document. */
export const SECURITY_TEAM_YAML = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: security-team }
spec: { type: team, children: [] }`;

/**
 * Writes `yaml` as catalog.yaml in a temporary folder made before the
 * suite's tests and removed after them; returns the folder's getter.
 */
export function catalogYamlDir(prefix: string, yaml: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), yaml);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/** A running catalog backend and ways to read it as a signed-in user. */
export interface TestCatalog {
  backend: TestBackend;
  get(url: string): request.Test;
  /** An entity's relations as sorted `type targetRef` lines; none if absent. */
  relationsOf(kind: string, name: string): Promise<string[]>;
  /**
   * Polls an entity's relations until they are `expected` or 40 seconds
   * have passed, and returns the last read.
   */
  waitForRelations(
    kind: string,
    name: string,
    expected: string[],
  ): Promise<string[]>;
}

/**
 * Starts the catalog with this module, processing every second the
 * catalog.yaml in `dir` with only the kinds in `allow`. `securityManagement`
 * adds to the module's config (whose control cache lasts a second);
 * `features` go beside the catalog and the module.
 */
export async function startTestCatalog(options: {
  dir: string;
  allow: string[];
  securityManagement?: JsonObject;
  features?: BackendFeature[];
}): Promise<TestCatalog> {
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModule,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: options.allow }],
            locations: [
              { type: 'file', target: path.join(options.dir, 'catalog.yaml') },
            ],
          },
          securityManagement: {
            catalog: { controlCacheSeconds: 1 },
            ...options.securityManagement,
          },
        },
      }),
    ],
  });
  const get = (url: string) =>
    request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header());
  const relationsOf = async (kind: string, name: string) => {
    const res = await get(
      `/api/catalog/entities/by-name/${kind}/default/${name}`,
    );
    return res.status === 200
      ? (res.body.relations as { type: string; targetRef: string }[])
          .map(r => `${r.type} ${r.targetRef}`)
          .sort()
      : [];
  };
  const waitForRelations = async (
    kind: string,
    name: string,
    expected: string[],
  ) => {
    let relations: string[] = [];
    for (let i = 0; i < 80 && relations.join() !== expected.join(); i++) {
      await new Promise(r => setTimeout(r, 500));
      relations = await relationsOf(kind, name);
    }
    return relations;
  };
  return { backend, get, relationsOf, waitForRelations };
}
