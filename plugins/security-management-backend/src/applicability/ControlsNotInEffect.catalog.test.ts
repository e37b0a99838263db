import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogModule from '@open-itsm/plugin-catalog-backend-module-security-management';
import { ControlNotInEffect } from '@open-itsm/plugin-security-management-common';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { recordResponses } from '../__testUtils__/contract';
import { securityManagementPlugin } from '../plugin';

// The real catalog with this repository's catalog module, the real events
// service and this plugin in one backend, over files that fail in each of
// the ways a control can: what is asserted is what the catalog records.
jest.setTimeout(90_000);

const control = (name: string, extra = '') => `
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: ${name} }
spec:
  owner: group:default/security-team
  category: technical
  criticality: high
  testing: { cadence: P90D, method: manual }
${extra}`;

const files: Record<string, string> = {
  'controls.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: security-team }
spec: { type: team, children: [] }
---${control('in-effect')}
---${control('duplicated')}
---
apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityControl
metadata: { name: schema-error }
spec:
  owner: group:default/security-team
  category: technical
  criticality: high
  testing: { cadence: 90 days, method: manual }
`,
  // (a) a YAML syntax error: the catalog reads nothing from the file
  'syntax-error.yaml': `${control('never-read')}
  appliesTo: [{ kind: Component
`,
  // (b) an invalid entity name
  'invalid-name.yaml': control('"Not A Valid Name!"'),
  // (c) an unsupported version of our apiVersion
  'future-version.yaml': control('future-version').replace('v1alpha1', 'v2'),
  // (d) an apiVersion no processor accepts
  'foreign-api.yaml': control('foreign-api').replace(
    'security.open-itsm.dev/v1alpha1',
    'security.example.com/v1',
  ),
  // (e) the same control name as in controls.yaml
  'duplicate.yaml': control('duplicated'),
};

describe('controls not in effect, with the real catalog', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secmgmt-not-in-effect-'));
    for (const [file, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, file), content);
    }
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists every kind of failure with its reason and source location', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModule,
        securityManagementPlugin,
        // One events service for the backend, as in production, so that
        // the catalog's events reach the plugin.
        eventsServiceFactory,
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Group', 'SecurityControl', 'Location'] }],
              locations: Object.keys(files).map(file => ({
                type: 'file',
                target: path.join(dir, file),
              })),
            },
            securityManagement: { catalog: { controlCacheSeconds: 1 } },
          },
        }),
      ],
    });
    const answers = recordResponses(backend.server);
    const at = (file: string) => `file:${path.join(dir, file)}`;

    let items: ControlNotInEffect[] = [];
    const byName = (name: string) => items.find(item => item.name === name);
    try {
      for (let i = 0; i < 120 && items.length < 6; i++) {
        await new Promise(resolve => setTimeout(resolve, 500));
        const res = await request(backend.server)
          .get('/api/security-management/controls/not-in-effect')
          .set('Authorization', mockCredentials.user.header());
        expect(res.status).toBe(200);
        items = res.body.items;
      }

      expect(byName('schema-error')).toEqual({
        ref: 'securitycontrol:default/schema-error',
        name: 'schema-error',
        failure: 'invalid-definition',
        reason:
          "spec.testing.cadence '90 days' is not a positive ISO-8601 duration such as P90D",
        location: at('controls.yaml'),
        originLocation: at('controls.yaml'),
        source: 'catalog-entity',
      });
      expect(byName(path.join(dir, 'syntax-error.yaml'))).toMatchObject({
        failure: 'unreadable-location',
        reason: expect.stringContaining(
          `YAML error at ${at('syntax-error.yaml')}`,
        ),
        location: at('syntax-error.yaml'),
        source: 'catalog-event',
      });
      expect(byName('not a valid name!')).toMatchObject({
        ref: 'securitycontrol:default/not a valid name!',
        failure: 'invalid-metadata',
        reason: expect.stringContaining('"metadata.name" is not valid'),
        location: at('invalid-name.yaml'),
      });
      expect(byName('future-version')).toMatchObject({
        failure: 'unsupported-version',
        reason:
          "apiVersion 'security.open-itsm.dev/v2' is not supported for SecurityControl; use 'security.open-itsm.dev/v1alpha1'",
        location: at('future-version.yaml'),
      });
      expect(byName('foreign-api')).toMatchObject({
        failure: 'unrecognized-kind',
        location: at('foreign-api.yaml'),
      });
      // Which of the two files the catalog reads first is not fixed.
      const conflict = byName('duplicated');
      expect(conflict).toMatchObject({
        ref: 'securitycontrol:default/duplicated',
        failure: 'conflict',
        source: 'catalog-event',
      });
      expect(
        [conflict?.location, conflict?.conflictingLocation].sort(),
      ).toEqual([at('controls.yaml'), at('duplicate.yaml')].sort());
      expect(items).toHaveLength(6);
      expect(byName('in-effect')).toBeUndefined();
    } finally {
      await backend.stop();
    }
    answers.assertAllMatchContract();
  });
});
