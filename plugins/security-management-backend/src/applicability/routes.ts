import {
  securityApplicabilityRefreshPermission,
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import { handle, RouteContext } from '../lib/routing';
import { ApplicabilityStore } from './ApplicabilityStore';
import { CatalogSync } from './CatalogSync';
import { ControlsNotInEffect } from './ControlsNotInEffect';

/**
 * The control library, coverage per control, the controls not in effect,
 * and the catalog refresh.
 */
export function registerApplicabilityRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: ApplicabilityStore;
    catalogSync: CatalogSync;
    notInEffect: ControlsNotInEffect;
  },
): void {
  const { context, store, catalogSync, notInEffect } = options;
  const { authorizer, audit, credentials: credentialsOf } = context;

  handle(router, 'listControls', async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    res.json({ items: await store.listControls() });
  });

  handle(router, 'getControlCoverage', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { controlRef } = input.query();
    const coverage = await store.getControlCoverage({
      controlRef,
      now: new Date(),
    });
    if (!coverage) throw new NotFoundError(`No control '${controlRef}'`);
    res.json(coverage);
  });

  handle(router, 'listControlsNotInEffect', async (req, res) => {
    // Read with the plugin's own credentials across the whole catalog, and
    // quoting files' problems: for the security team, not every reader.
    await authorizer.require(
      securityReportReadPermission,
      await credentialsOf(req),
    );
    res.json({ items: await notInEffect.list(new Date()) });
  });

  handle(router, 'refreshApplicability', async (req, res) => {
    const credentials = await credentialsOf(req);
    const result = await audit(req, {
      eventId: 'applicability-refresh',
      severityLevel: 'medium',
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
