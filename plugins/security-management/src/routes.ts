import { createRouteRef } from '@backstage/core-plugin-api';

/** The security managers' page. @public */
export const rootRouteRef = createRouteRef({ id: 'security-management' });
