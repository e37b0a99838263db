import {
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  securityApplicabilityRefreshPermission,
  securityPostureReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import { RouteContext } from '../lib/routing';
import { controlCoverageQuerySchema, parseQuery } from '../service/validation';
import { ApplicabilityStore } from './ApplicabilityStore';
import { CatalogSync } from './CatalogSync';

/** The control library, coverage per control, and the catalog refresh. */
export function registerApplicabilityRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: ApplicabilityStore;
    catalogSync: CatalogSync;
  },
): void {
  const { context, store, catalogSync } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  router.get(ROUTES.controls, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    res.json({ items: await store.listControls() });
  });

  router.get(ROUTES.controlCoverage, async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { controlRef } = parseQuery(controlCoverageQuerySchema, req.query);
    const coverage = await store.getControlCoverage({
      controlRef,
      now: new Date(),
    });
    if (!coverage) throw new NotFoundError(`No control '${controlRef}'`);
    res.json(coverage);
  });

  router.post(ROUTES.applicabilityRefresh, async (req, res) => {
    const credentials = await credentialsOf(req);
    const result = await audit(req, {
      eventId: 'applicability-refresh',
      severityLevel: 'low',
      meta: { trigger: 'request' },
      run: async () => {
        await authorizer.require(
          securityApplicabilityRefreshPermission,
          credentials,
        );
        return catalogSync.run(new Date());
      },
      describe: refreshed => ({ ...refreshed }),
    });
    res.json(result);
  });
}
