import {
  policyRefParamsSchema,
  securityPolicyListSchema,
  securityPolicySchema,
} from '../policies';
import { securityPostureReadPermission } from '../permissions';
import { RouteContract } from './routeContract';

/**
 * Security policies as code, and the policy tree with each statement's coverage.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const policyRoutes = {
  listPolicies: {
    method: 'get',
    path: '/policies',
    tag: 'Policies',
    summary: 'The policy tree, with the coverage of every statement',
    description:
      'Every valid SecurityPolicy of the catalog, depth first from the IT security policy down through the policies that underpin it. Each statement lists the controls it names: whether each exists, how many entities it applies to and their statuses. A statement naming a control that is not in the catalog is a warning on its policy. `reviewOverdue` is computed at request time: an approved policy whose next review is due.',
    permission: securityPostureReadPermission.name,
    responses: { 200: securityPolicyListSchema },
  },
  getPolicy: {
    method: 'get',
    path: '/policies/:ref',
    tag: 'Policies',
    summary: 'One security policy, with the coverage of its statements',
    description:
      'The `ref` is URL-encoded (`securitypolicy%3Adefault%2Fit-security-policy`); the kind may be left out.',
    permission: securityPostureReadPermission.name,
    params: policyRefParamsSchema,
    responses: { 200: securityPolicySchema },
    errors: [404],
  },
} as const satisfies Record<string, RouteContract>;
