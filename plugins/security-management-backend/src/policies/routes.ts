import { NotFoundError } from '@backstage/errors';
import { securityPostureReadPermission } from '@open-itsm/plugin-security-management-common';
import express from 'express';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { handle, RouteContext } from '../lib/routing';
import { buildPolicyTree } from './policyTree';
import { PolicyStore } from './PolicyStore';

/** The policy tree and one policy, each statement with its coverage. */
export function registerPolicyRoutes(
  router: express.Router,
  options: {
    context: RouteContext;
    store: PolicyStore;
    applicability: ApplicabilityStore;
  },
): void {
  const { context, store, applicability } = options;
  const { authorizer, credentials: credentialsOf } = context;

  // Policies are few: the whole tree is built for one policy too, so that
  // its depth, children and coverage are the same as in the list.
  const tree = async () => {
    const [policies, controls] = await Promise.all([
      store.listPolicies(),
      applicability.listControls(),
    ]);
    return buildPolicyTree({ policies, controls, now: new Date() });
  };

  handle(router, 'listPolicies', async (req, res) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    res.json({ items: await tree() });
  });

  handle(router, 'getPolicy', async (req, res, input) => {
    await authorizer.require(
      securityPostureReadPermission,
      await credentialsOf(req),
    );
    const { ref } = input.params();
    const policy = (await tree()).find(item => item.ref === ref);
    if (!policy) throw new NotFoundError(`No security policy '${ref}'`);
    res.json(policy);
  });
}
