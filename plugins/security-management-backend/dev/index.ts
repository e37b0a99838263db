import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

// The backend plugin on its own, for `yarn start` in this package. It reads
// the repository's app-config.yaml: the example organisation and control
// library are loaded into a real catalog, and our catalog module draws the
// hasSecurityControl relations that the plugin syncs from.
//
// Sign in with the guest provider (the frontend plugin's `yarn start` does),
// or use the static CI token from app-config.yaml:
//
//   curl http://localhost:7007/api/security-management/health
//   curl -H 'Authorization: Bearer dev-only-ci-token-change-me' \
//     'http://localhost:7007/api/security-management/posture/entity?entityRef=component:default/payments-api'
//
// Every permission is allowed here; the example app (packages/backend) runs
// the real permission policy.
const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(
  mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@open-itsm/plugin-catalog-backend-module-security-management'),
);
backend.add(import('../src'));

backend.start();
