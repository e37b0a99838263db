import {
  frameworkCoverageQuerySchema,
  frameworkCoverageSchema,
  frameworkImportListSchema,
  frameworkListSchema,
  statementOfApplicabilityQuerySchema,
  statementOfApplicabilitySchema,
} from '../frameworks';
import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '../permissions';
import { RouteContract } from './routeContract';

/**
 * Frameworks, a service's Statement of Applicability and the
 * organisation's framework coverage. Part of the one route table,
 * `securityManagementRoutes`.
 */
export const frameworkRoutes = {
  listFrameworks: {
    method: 'get',
    path: '/frameworks',
    tag: 'Frameworks',
    summary: 'The frameworks the control library imports or maps',
    description:
      'A framework is `imported` when an OSCAL import put its requirements in the catalog (SecurityRequirement entities), `mapped` when only the controls’ `spec.frameworks` name it.',
    permission: securityPostureReadPermission.name,
    responses: { 200: frameworkListSchema },
  },
  getStatementOfApplicability: {
    method: 'get',
    path: '/frameworks/soa',
    tag: 'Frameworks',
    summary: "An entity's Statement of Applicability for a framework",
    description:
      'Every requirement of the framework (the imported ones; for a framework only mapped, the refs the controls name). A requirement is applicable when at least one control that satisfies it applies to the entity, with the worst status of those controls; otherwise it carries the justification. JSON by default; `format=csv` downloads one row per requirement. A 404 when the entity is not in the catalog or no requirement of the framework is known.',
    permission: securityPostureReadPermission.name,
    query: statementOfApplicabilityQuerySchema,
    responses: { 200: statementOfApplicabilitySchema },
    csv: true,
    errors: [404],
  },
  getFrameworkCoverage: {
    method: 'get',
    path: '/frameworks/coverage',
    tag: 'Frameworks',
    summary: "The organisation's coverage of a framework",
    description:
      'Every requirement with the controls that satisfy it and the statuses of their (entity, control) pairs; a requirement is covered when at least one control satisfies it. Control mappings that name no requirement of an imported framework are warnings. A 404 when no requirement of the framework is known.',
    permission: securityReportReadPermission.name,
    query: frameworkCoverageQuerySchema,
    responses: { 200: frameworkCoverageSchema },
    errors: [404],
  },
  listFrameworkImports: {
    method: 'get',
    path: '/frameworks/imports',
    tag: 'Frameworks',
    summary: 'The OSCAL imports and how their last runs went',
    description:
      'As the catalog module reported them on the events system: the last outcome, when it last imported and how many requirements, and the error of a failed run (the previous import stays in the catalog).',
    permission: securityReportReadPermission.name,
    responses: { 200: frameworkImportListSchema },
  },
} as const satisfies Record<string, RouteContract>;
