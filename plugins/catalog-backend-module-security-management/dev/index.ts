import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

// The catalog with this module on its own, for `yarn start` in this package.
// It reads the repository's app-config.yaml, so the catalog loads the example
// organisation and control library. Requests without a token count as a mock
// user and every permission is allowed, so the catalog API can be read with
// plain curl, e.g. the relations drawn to a service:
//
//   curl http://localhost:7007/api/catalog/entities/by-name/component/default/payments-api
//
// and the processing errors of the deliberately broken control:
//
//   curl http://localhost:7007/api/catalog/entities/by-name/securitycontrol/default/broken-example-control
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../src'));

backend.start();
