import { z } from 'zod';
import * as api from '../api';
import * as reviews from '../reviews';
import { controlsNotInEffectSchema } from '../controlsNotInEffect';
import { advisoryRoutes } from './advisoryRoutes';
import { alertRoutes } from './alertRoutes';
import { campaignRoutes } from './campaignRoutes';
import { securityEventRoutes } from './eventRoutes';
import { frameworkRoutes } from './frameworkRoutes';
import { historyRoutes } from './historyRoutes';
import { incidentReviewRoutes } from './incidentReviewRoutes';
import { oscalRoutes } from './oscalRoutes';
import { policyRoutes } from './policyRoutes';
import { RouteContract } from './routeContract';
import { testReportQuerySchema, testReportSchema } from '../reports';
import {
  securityApplicabilityRefreshPermission,
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityReviewCreatePermission,
  securityTestRecordCreatePermission,
} from '../permissions';
import {
  entityPostureSchema,
  incidentSchema,
  reviewConditionSchema,
  securityExceptionSchema,
  securityReviewSchema,
} from '../types';

export type { ErrorStatus, RouteContract } from './routeContract';

const posture = securityPostureReadPermission.name;

/**
 * Every route of the REST API, by operation id: the one source from which
 * the backend validates requests, the served OpenAPI document is built, the
 * contract tests check answers and the typed client calls.
 *
 * @public
 */
export const securityManagementRoutes = {
  getHealth: {
    method: 'get',
    path: '/health',
    tag: 'Meta',
    summary: 'Liveness check',
    unauthenticated: true,
    responses: { 200: api.healthSchema },
  },
  getOpenApiDocument: {
    method: 'get',
    path: '/openapi.json',
    tag: 'Meta',
    summary: 'This document',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
  listControls: {
    method: 'get',
    path: '/controls',
    tag: 'Controls',
    summary: 'The control library',
    description:
      'Every valid SecurityControl of the catalog, with how many entities it applies to and their statuses.',
    permission: posture,
    responses: { 200: api.controlListSchema },
  },
  getControlCoverage: {
    method: 'get',
    path: '/controls/coverage',
    tag: 'Controls',
    summary: 'A control and the status of every entity it applies to',
    permission: posture,
    query: api.controlCoverageQuerySchema,
    responses: { 200: api.controlCoverageSchema },
    errors: [404],
  },
  listControlsNotInEffect: {
    method: 'get',
    path: '/controls/not-in-effect',
    tag: 'Controls',
    summary: 'Every control the catalog was given that is not in effect',
    description:
      'Each with the kind of failure, the reason and its source location, from the catalog: controls and locations with processing errors, and the errors and conflicts the catalog reported for entities it could not store. For the security team: it names files and quotes their problems from the whole catalog.',
    permission: securityReportReadPermission.name,
    responses: { 200: controlsNotInEffectSchema },
  },
  getEntityPosture: {
    method: 'get',
    path: '/posture/entity',
    tag: 'Posture',
    summary: 'The posture of one entity, with its controls',
    description:
      'A 404 when the entity is not in the catalog or no control applies to it.',
    permission: posture,
    query: api.postureEntityQuerySchema,
    responses: { 200: entityPostureSchema },
    errors: [404],
  },
  getPostureBatch: {
    method: 'post',
    path: '/posture/batch',
    tag: 'Posture',
    summary: 'The posture of many entities, without their controls',
    description:
      'One item per known entity, in request order; unknown refs are left out.',
    permission: posture,
    body: api.postureBatchInputSchema,
    responses: { 200: api.postureBatchResultSchema },
    errors: [413],
  },
  listPosture: {
    method: 'get',
    path: '/posture',
    tag: 'Posture',
    summary: 'A page of entities with their posture',
    description:
      'Entities with the most failing and overdue controls come first.',
    permission: posture,
    query: api.postureListQuerySchema,
    responses: { 200: api.posturePageSchema },
  },
  getPostureRollup: {
    method: 'get',
    path: '/posture/rollup',
    tag: 'Posture',
    summary: 'Posture rolled up by owner, system or domain',
    description: 'One item per group; `key` is null for entities without one.',
    permission: securityReportReadPermission.name,
    query: api.postureRollupQuerySchema,
    responses: { 200: api.postureRollupSchema },
  },
  listTestRecords: {
    method: 'get',
    path: '/test-records',
    tag: 'Test records',
    summary: 'A page of test records, newest first',
    permission: posture,
    query: api.testRecordQuerySchema,
    responses: { 200: api.testRecordPageSchema },
  },
  createTestRecord: {
    method: 'post',
    path: '/test-records',
    tag: 'Test records',
    summary: 'Record one security test result',
    description:
      'The control must apply to the entity. With an `externalId` already used, nothing is created and the first record is returned with status 200, so CI can retry safely.',
    permission: securityTestRecordCreatePermission.name,
    body: api.testRecordInputSchema,
    responses: {
      201: api.testRecordPostResultSchema,
      200: api.testRecordPostResultSchema,
    },
    errors: [413],
  },
  createTestRecords: {
    method: 'post',
    path: '/test-records/batch',
    tag: 'Test records',
    summary: 'Record up to 1000 test results at once',
    description:
      'Every record is checked first; one bad record rejects the batch with every problem named (`records[3].result: ...`). Status 201 when at least one record was created, 200 when all were duplicates.',
    permission: securityTestRecordCreatePermission.name,
    body: api.testRecordBatchInputSchema,
    responses: {
      201: api.testRecordBatchResultSchema,
      200: api.testRecordBatchResultSchema,
    },
    errors: [413],
  },
  listIncidents: {
    method: 'get',
    path: '/incidents',
    tag: 'Incidents',
    summary: 'A page of the incidents the caller may read, newest first',
    description:
      'A policy may grant the permission conditionally; hidden incidents are neither listed nor counted.',
    permission: securityIncidentReadPermission.name,
    query: api.incidentQuerySchema,
    responses: { 200: api.incidentPageSchema },
  },
  createIncident: {
    method: 'post',
    path: '/incidents',
    tag: 'Incidents',
    summary: 'Open an incident',
    description: 'Affected entities and failed controls must be known.',
    permission: securityIncidentCreatePermission.name,
    body: api.incidentInputSchema,
    responses: { 201: incidentSchema },
    errors: [413],
  },
  getIncident: {
    method: 'get',
    path: '/incidents/:id',
    tag: 'Incidents',
    summary: 'One incident',
    description: 'An incident the caller may not read is a 404.',
    permission: securityIncidentReadPermission.name,
    params: api.idParamsSchema,
    responses: { 200: incidentSchema },
    errors: [404],
  },
  updateIncident: {
    method: 'patch',
    path: '/incidents/:id',
    tag: 'Incidents',
    summary: 'Change an incident',
    description:
      '`version` must match the stored one; a stale version is a 409.',
    permission: securityIncidentUpdatePermission.name,
    params: api.idParamsSchema,
    body: api.incidentPatchSchema,
    responses: { 200: incidentSchema },
    errors: [404, 409, 413],
  },
  transitionIncident: {
    method: 'post',
    path: '/incidents/:id/transitions',
    tag: 'Incidents',
    summary: 'Move an incident to its next phase (or reopen a closed one)',
    description:
      'A stale `version` or a move that skips a phase is a 409; the move is on the timeline.',
    permission: securityIncidentUpdatePermission.name,
    params: api.idParamsSchema,
    body: api.incidentTransitionInputSchema,
    responses: { 200: incidentSchema },
    errors: [404, 409, 413],
  },
  getIncidentTimeline: {
    method: 'get',
    path: '/incidents/:id/timeline',
    tag: 'Incidents',
    summary: "An incident's append-only timeline, oldest first",
    permission: securityIncidentReadPermission.name,
    params: api.idParamsSchema,
    responses: { 200: api.incidentTimelineSchema },
    errors: [404],
  },
  listReviews: {
    method: 'get',
    path: '/reviews',
    tag: 'Reviews',
    summary: 'A page of security reviews, newest first',
    permission: posture,
    query: reviews.reviewQuerySchema,
    responses: { 200: reviews.reviewPageSchema },
  },
  createReview: {
    method: 'post',
    path: '/reviews',
    tag: 'Reviews',
    summary: 'Record a security review of an entity',
    description:
      'The next due date defaults to the review date plus the cadence of the entity risk tier.',
    permission: securityReviewCreatePermission.name,
    body: reviews.reviewInputSchema,
    responses: { 201: securityReviewSchema },
    errors: [413],
  },
  listReviewConditions: {
    method: 'get',
    path: '/reviews/conditions',
    tag: 'Reviews',
    summary:
      'Conditions of reviews with their status, oldest review first (e.g. the open ones)',
    permission: posture,
    query: reviews.reviewConditionQuerySchema,
    responses: { 200: reviews.reviewConditionPageSchema },
  },
  updateReviewCondition: {
    method: 'post',
    path: '/reviews/:id/conditions/:position',
    tag: 'Reviews',
    summary: 'Mark a condition of a review met or waived',
    description:
      'Only an open condition changes (else a 409); waiving needs a note. Needs the permission to record reviews.',
    permission: securityReviewCreatePermission.name,
    params: reviews.reviewConditionParamsSchema,
    body: reviews.reviewConditionUpdateSchema,
    responses: { 200: reviewConditionSchema },
    errors: [404, 409, 413],
  },
  listExceptions: {
    method: 'get',
    path: '/exceptions',
    tag: 'Exceptions',
    summary: 'A page of risk exceptions',
    permission: posture,
    query: api.exceptionQuerySchema,
    responses: { 200: api.exceptionPageSchema },
  },
  requestException: {
    method: 'post',
    path: '/exceptions',
    tag: 'Exceptions',
    summary: 'Request a risk exception for a control on an entity',
    description:
      'The control must apply to the entity; the expiry must be in the future.',
    permission: securityExceptionRequestPermission.name,
    body: api.exceptionInputSchema,
    responses: { 201: securityExceptionSchema },
    errors: [413],
  },
  approveException: {
    method: 'post',
    path: '/exceptions/:id/approve',
    tag: 'Exceptions',
    summary: 'Approve a requested exception',
    description: 'Only a requested exception can be decided; otherwise a 409.',
    permission: securityExceptionDecidePermission.name,
    params: api.idParamsSchema,
    body: api.exceptionDecisionInputSchema,
    responses: { 200: securityExceptionSchema },
    errors: [404, 409, 413],
  },
  rejectException: {
    method: 'post',
    path: '/exceptions/:id/reject',
    tag: 'Exceptions',
    summary: 'Reject a requested exception',
    description: 'Only a requested exception can be decided; otherwise a 409.',
    permission: securityExceptionDecidePermission.name,
    params: api.idParamsSchema,
    body: api.exceptionDecisionInputSchema,
    responses: { 200: securityExceptionSchema },
    errors: [404, 409, 413],
  },
  getSchedule: {
    method: 'get',
    path: '/schedule',
    tag: 'Reporting',
    summary: 'The testing schedule',
    description:
      'Tests and reviews due in [from, to] (default: the next 30 days), plus everything overdue, failing (due again now) or never done.',
    permission: posture,
    query: api.scheduleQuerySchema,
    responses: { 200: api.testingScheduleSchema },
  },
  getReport: {
    method: 'get',
    path: '/report',
    tag: 'Reporting',
    summary: 'The IT security report',
    description:
      'Posture as of `asOf` (default now) by entity, owner, system and domain; incidents (only those the caller may read), exceptions and test coverage within the period [from, to] (default the 90 days before asOf); policies due for review. JSON by default; `format=csv` downloads one table, chosen by `section`: `entities` (default, one row per entity), `incidents` (needs incident.read), `exceptions` or `tests` (one row per applicable control and entity).',
    permission: securityReportReadPermission.name,
    query: api.reportQuerySchema,
    responses: { 200: api.securityReportSchema },
    csv: true,
  },
  getTestReport: {
    method: 'get',
    path: '/reports/tests',
    tag: 'Reporting',
    summary: 'The test report of a control or an entity for a period',
    description:
      'Every test of the control (`controlRef`), the entity (`entityRef`) or the pair (both) tested within [from, to] (default the 90 days before now), newest first, with result, method, tester, evidence and notes, and the applicable pairs left untested. JSON by default; `format=csv` downloads one row per test. A 404 when neither the catalog nor the test records know the control or entity.',
    permission: posture,
    query: testReportQuerySchema,
    responses: { 200: testReportSchema },
    csv: true,
    errors: [404],
  },
  refreshApplicability: {
    method: 'post',
    path: '/applicability/refresh',
    tag: 'Controls',
    summary: 'Re-read which controls apply to which entities from the catalog',
    permission: securityApplicabilityRefreshPermission.name,
    responses: { 200: api.applicabilityRefreshResultSchema },
  },
  ...advisoryRoutes,
  ...alertRoutes,
  ...securityEventRoutes,
  ...policyRoutes,
  ...oscalRoutes,
  ...frameworkRoutes,
  ...historyRoutes,
  ...incidentReviewRoutes,
  ...campaignRoutes,
} as const satisfies Record<string, RouteContract>;

/** The operation ids of the REST API. @public */
export type SecurityManagementOperation = keyof typeof securityManagementRoutes;

/** The route table's type: each operation's method, path and schemas. @public */
export type SecurityManagementRoutes = typeof securityManagementRoutes;

/** What a client sends for a schema of the contract. @public */
export type SchemaInput<S> = S extends z.ZodType ? z.input<S> : never;
/** What a schema of the contract gives once parsed. @public */
export type SchemaOutput<S> = S extends z.ZodType ? z.output<S> : never;

/** What a client sends to an operation: path params, query and body. @public */
export type OperationRequest<O extends SecurityManagementOperation> =
  (SecurityManagementRoutes[O] extends { params: infer P }
    ? { params: SchemaInput<P> }
    : {}) &
    (SecurityManagementRoutes[O] extends { query: infer Q }
      ? { query?: SchemaInput<Q> }
      : {}) &
    (SecurityManagementRoutes[O] extends { body: infer B }
      ? { body: SchemaInput<B> }
      : {});

/** The JSON body an operation answers with on success. @public */
export type OperationResponse<O extends SecurityManagementOperation> =
  SchemaOutput<
    SecurityManagementRoutes[O]['responses'][keyof SecurityManagementRoutes[O]['responses']]
  >;

/** What the server's handler has after validation: the parsed path parameters. @public */
export type OperationParams<O extends SecurityManagementOperation> =
  SecurityManagementRoutes[O] extends { params: infer P }
    ? SchemaOutput<P>
    : never;

/** What the server's handler has after validation: the parsed body. @public */
export type OperationBody<O extends SecurityManagementOperation> =
  SecurityManagementRoutes[O] extends { body: infer B }
    ? SchemaOutput<B>
    : never;

/** What the server's handler has after validation: the parsed query. @public */
export type OperationQuery<O extends SecurityManagementOperation> =
  SecurityManagementRoutes[O] extends { query: infer Q }
    ? SchemaOutput<Q>
    : never;
