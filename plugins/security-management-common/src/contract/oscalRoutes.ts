import {
  oscalAssessmentResultsQuerySchema,
  oscalAssessmentResultsSchema,
  oscalComponentDefinitionQuerySchema,
  oscalComponentDefinitionSchema,
  OSCAL_VERSION,
} from '../oscal';
import { securityPostureReadPermission } from '../permissions';
import { RouteContract } from './routeContract';

/**
 * OSCAL exports (assessment results, component definitions), the Statement of Applicability and framework coverage.
 * Part of the one route table, `securityManagementRoutes`.
 */
export const oscalRoutes = {
  exportComponentDefinition: {
    method: 'get',
    path: '/oscal/component-definition',
    tag: 'OSCAL',
    summary: "An entity's controls as an OSCAL component definition",
    description: `One component for the entity, its controls grouped by framework (controls mapped to no framework under the plugin's control library), each with its current status. Valid against NIST's OSCAL ${OSCAL_VERSION} JSON schema; UUIDs are stable per entity. Answered as a JSON attachment.`,
    permission: securityPostureReadPermission.name,
    query: oscalComponentDefinitionQuerySchema,
    responses: { 200: oscalComponentDefinitionSchema },
    errors: [404],
  },
  exportAssessmentResults: {
    method: 'get',
    path: '/oscal/assessment-results',
    tag: 'OSCAL',
    summary: "An entity's test records of a period as OSCAL assessment results",
    description: `One observation per test record tested in [from, to] (default: the 365 days before now), and one finding per tested control from its latest test in the period. Valid against NIST's OSCAL ${OSCAL_VERSION} JSON schema. Answered as a JSON attachment.`,
    permission: securityPostureReadPermission.name,
    query: oscalAssessmentResultsQuerySchema,
    responses: { 200: oscalAssessmentResultsSchema },
    errors: [404],
  },
} as const satisfies Record<string, RouteContract>;
