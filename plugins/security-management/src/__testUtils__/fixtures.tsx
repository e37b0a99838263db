import { ReactNode } from 'react';
import { RenderResult } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { DateTime } from 'luxon';
import {
  ControlPosture,
  ControlSummary,
  EntityPosture,
  Incident,
  PostureChanges,
  PostureRollupItem,
  PostureTrend,
  SecurityException,
  SecurityReport,
} from '@open-itsm/plugin-security-management-common';
import {
  SecurityManagementApi,
  securityManagementApiRef,
} from '../api/SecurityManagementApi';

/** A SecurityManagementApi whose every method is a jest mock. */
export type MockSecurityApi = jest.Mocked<SecurityManagementApi>;

/** Replacement mocks for some methods of the API. */
export type ApiOverrides = Partial<
  Record<keyof SecurityManagementApi, jest.Mock>
>;

/** Every method rejects until a test says otherwise. */
export function mockSecurityApi(overrides: ApiOverrides = {}): MockSecurityApi {
  const unexpected = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`unexpected call to ${name}`)));
  const api = {
    getEntityPosture: unexpected('getEntityPosture'),
    getPostureBatch: unexpected('getPostureBatch'),
    listPosture: unexpected('listPosture'),
    getPostureRollup: unexpected('getPostureRollup'),
    getEntityTrend: unexpected('getEntityTrend'),
    getGroupTrend: unexpected('getGroupTrend'),
    getEntityChanges: unexpected('getEntityChanges'),
    getGroupChanges: unexpected('getGroupChanges'),
    listControls: unexpected('listControls'),
    getControlCoverage: unexpected('getControlCoverage'),
    listControlsNotInEffect: unexpected('listControlsNotInEffect'),
    listTestRecords: unexpected('listTestRecords'),
    createTestRecord: unexpected('createTestRecord'),
    createTestRecords: unexpected('createTestRecords'),
    listIncidents: unexpected('listIncidents'),
    getIncident: unexpected('getIncident'),
    createIncident: unexpected('createIncident'),
    updateIncident: unexpected('updateIncident'),
    transitionIncident: unexpected('transitionIncident'),
    setIncidentReview: unexpected('setIncidentReview'),
    getIncidentTimeline: unexpected('getIncidentTimeline'),
    listRemediationActions: unexpected('listRemediationActions'),
    updateRemediationAction: unexpected('updateRemediationAction'),
    listRequiredRetests: unexpected('listRequiredRetests'),
    listReviews: unexpected('listReviews'),
    createReview: unexpected('createReview'),
    listReviewConditions: unexpected('listReviewConditions'),
    updateReviewCondition: unexpected('updateReviewCondition'),
    listExceptions: unexpected('listExceptions'),
    requestException: unexpected('requestException'),
    approveException: unexpected('approveException'),
    rejectException: unexpected('rejectException'),
    getSchedule: unexpected('getSchedule'),
    getReport: unexpected('getReport'),
    getReportCsv: unexpected('getReportCsv'),
    getReportCsvUrl: unexpected('getReportCsvUrl'),
    getTestReport: unexpected('getTestReport'),
    getTestReportCsv: unexpected('getTestReportCsv'),
    refreshApplicability: unexpected('refreshApplicability'),
    listAdvisoryFindings: unexpected('listAdvisoryFindings'),
    getEntityAdvisories: unexpected('getEntityAdvisories'),
    transitionAdvisoryFinding: unexpected('transitionAdvisoryFinding'),
    refreshEntityAdvisories: unexpected('refreshEntityAdvisories'),
    getAdvisoryFeeds: unexpected('getAdvisoryFeeds'),
    refreshAdvisories: unexpected('refreshAdvisories'),
    listCampaigns: unexpected('listCampaigns'),
    getCampaign: unexpected('getCampaign'),
    startCampaign: unexpected('startCampaign'),
    closeCampaign: unexpected('closeCampaign'),
    listEntityCampaigns: unexpected('listEntityCampaigns'),
  };
  return Object.assign(api, overrides) as unknown as MockSecurityApi;
}

/** A rejection as the client raises it for a non-OK answer. */
export async function responseError(options: {
  status: number;
  name: string;
  message: string;
}): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: options.name, message: options.message },
        response: { statusCode: options.status },
      }),
      {
        status: options.status,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

/** A promise that never settles, to observe loading states. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** An ISO timestamp this far from now. */
export function fromNow(offset: { days?: number; hours?: number }): string {
  return DateTime.now().plus(offset).toUTC().toISO()!;
}

export const serviceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'security.open-itsm.dev/risk-tier': '1' },
  },
  spec: { type: 'service', owner: 'group:default/payments' },
  relations: [
    {
      type: 'hasSecurityControl',
      targetRef: 'securitycontrol:default/tls',
    },
  ],
};

export const controlEntity: Entity = {
  apiVersion: 'security.open-itsm.dev/v1alpha1',
  kind: 'SecurityControl',
  metadata: { name: 'tls', namespace: 'default', title: 'Encrypt in transit' },
  spec: {},
};

export const tlsControl: ControlSummary = {
  ref: 'securitycontrol:default/tls',
  title: 'Encrypt data in transit',
  description: 'Traffic with customer data uses TLS 1.2 or newer.',
  owner: 'group:default/security',
  category: 'technical',
  criticality: 'high',
  cadence: 'P90D',
  method: 'automated',
  procedure: 'Scan public endpoints for old protocols.',
  frameworks: [
    { framework: 'nist-sp-800-53-rev5', ref: 'SC-8' },
    { framework: 'iso-27001-2022', ref: 'A.8.24' },
  ],
};

export const mfaControl: ControlSummary = {
  ref: 'securitycontrol:default/mfa',
  title: 'MFA for admin access',
  owner: 'group:default/security',
  category: 'technical',
  criticality: 'critical',
  cadence: 'P1M',
  method: 'manual',
  frameworks: [],
};

export function controlPosture(
  overrides: Partial<ControlPosture> = {},
): ControlPosture {
  return {
    control: tlsControl,
    status: 'passing',
    lastResult: 'pass',
    lastTestedAt: fromNow({ days: -10 }),
    nextDueAt: fromNow({ days: 80 }),
    evidenceUrl: 'https://ci.example.com/runs/1',
    ...overrides,
  };
}

export function posture(overrides: Partial<EntityPosture> = {}): EntityPosture {
  return {
    entityRef: 'component:default/shop',
    kind: 'Component',
    owner: 'group:default/payments',
    riskTier: 1,
    counts: { passing: 1, failing: 0, overdue: 0, untested: 1, excepted: 0 },
    review: {
      status: 'current',
      riskTier: 1,
      lastReviewedAt: fromNow({ days: -78 }),
      nextDueAt: fromNow({ days: 12, hours: 1 }),
    },
    openIncidents: { critical: 1, high: 0, medium: 2, low: 0 },
    score: 85,
    grade: 'B',
    controls: [
      controlPosture(),
      controlPosture({
        control: mfaControl,
        status: 'untested',
        lastResult: undefined,
        lastTestedAt: undefined,
        nextDueAt: undefined,
        evidenceUrl: undefined,
      }),
    ],
    ...overrides,
  };
}

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    title: 'Leaked API key',
    description: 'A key was pushed to a public repository.',
    severity: 'high',
    status: 'reported',
    affectedEntities: ['component:default/shop'],
    failedControls: [],
    externalReferences: [],
    phases: { reported: fromNow({ days: -1 }) },
    createdBy: 'user:default/alice',
    createdAt: fromNow({ days: -1 }),
    updatedAt: fromNow({ days: -1 }),
    version: 3,
    ...overrides,
  };
}

export function securityException(
  overrides: Partial<SecurityException> = {},
): SecurityException {
  return {
    id: 'exc-1',
    controlRef: 'securitycontrol:default/mfa',
    entityRef: 'component:default/shop',
    justification: 'Legacy admin console is being retired',
    status: 'requested',
    requestedBy: 'user:default/bob',
    requestedAt: fromNow({ days: -2 }),
    expiresAt: fromNow({ days: 20 }),
    ...overrides,
  };
}

/**
 * Renders a legacy component with our API, an entity, and a permission API
 * that allows exactly the named permissions. `decide` records every
 * permission the component asked about.
 */
export async function renderWithApis(
  element: ReactNode,
  options: {
    api: MockSecurityApi;
    allow?: string[];
    entity?: Entity;
    routeEntries?: string[];
  },
): Promise<RenderResult & { decide: jest.Mock }> {
  const allowed = options.allow ?? [];
  const decide = jest.fn((request: EvaluatePermissionRequest) =>
    allowed.includes(request.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  );
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [securityManagementApiRef, options.api],
        [permissionApiRef, mockApis.permission({ authorize: decide })],
      ]}
    >
      {options.entity ? (
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: options.routeEntries,
    },
  );
  return { ...rendered, decide };
}

/** The names of the permissions a `decide` mock was asked about. */
export function askedPermissions(decide: jest.Mock): string[] {
  return decide.mock.calls.map(([request]) => request.permission.name);
}

/** A trend without points (no snapshot yet). */
export function emptyTrend(): PostureTrend {
  return {
    scope: { by: 'entity', key: 'component:default/shop' },
    days: 30,
    from: fromNow({ days: -29 }).slice(0, 10),
    to: fromNow({}).slice(0, 10),
    points: [],
  };
}

/** What changed when nothing did. */
export function noChanges(): PostureChanges {
  return {
    from: fromNow({ days: -30 }),
    to: fromNow({}),
    counts: { 'new-failure': 0, 'newly-overdue': 0, fixed: 0 },
    items: [],
    totalCount: 0,
  };
}

/** An API that answers every read of the Security tab. */
export function entityApi(overrides: ApiOverrides = {}) {
  return mockSecurityApi({
    getEntityPosture: jest.fn().mockResolvedValue(posture()),
    listTestRecords: jest.fn().mockResolvedValue({
      items: [
        {
          id: 'r1',
          controlRef: tlsControl.ref,
          entityRef: 'component:default/shop',
          result: 'pass',
          testedAt: fromNow({ days: -10 }),
          tester: 'user:default/alice',
          method: 'automated',
          evidenceUrl: 'https://ci.example.com/runs/1',
          notes: 'All endpoints on TLS 1.3',
          recordedAt: fromNow({ days: -10 }),
        },
      ],
      totalCount: 1,
    }),
    listIncidents: jest
      .fn()
      .mockResolvedValue({ items: [incident()], totalCount: 1 }),
    listReviews: jest.fn().mockResolvedValue({
      items: [
        {
          id: 'rv1',
          entityRef: 'component:default/shop',
          reviewer: 'user:default/carol',
          outcome: 'approved-with-conditions',
          findings: 'Logging is thin',
          conditions: ['Add audit logs'],
          reviewedAt: fromNow({ days: -78 }),
          nextDueAt: fromNow({ days: 12 }),
        },
      ],
      totalCount: 1,
    }),
    listExceptions: jest
      .fn()
      .mockResolvedValue({ items: [securityException()], totalCount: 1 }),
    getEntityAdvisories: jest.fn().mockResolvedValue({
      entityRef: 'component:default/shop',
      findings: [],
      sources: [],
      counts: {
        total: 0,
        overdue: 0,
        knownExploited: 0,
        bySeverity: { critical: 0, high: 0, moderate: 0, low: 0, unknown: 0 },
      },
    }),
    listEntityCampaigns: jest.fn().mockResolvedValue({ items: [] }),
    listRequiredRetests: jest.fn().mockResolvedValue({ items: [] }),
    listRemediationActions: jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0 }),
    getEntityTrend: jest.fn().mockResolvedValue(emptyTrend()),
    getEntityChanges: jest.fn().mockResolvedValue(noChanges()),
    ...overrides,
  });
}

/** A report with two entities graded A and one F. */
export function report(): SecurityReport {
  const counts = {
    passing: 5,
    failing: 2,
    overdue: 1,
    untested: 3,
    excepted: 1,
  };
  const review = {
    current: 2,
    'due-soon': 0,
    'review-required': 0,
    overdue: 1,
    'never-reviewed': 0,
  };
  const openIncidents = { critical: 1, high: 1, medium: 0, low: 0 };
  return {
    generatedAt: fromNow({}),
    asOf: fromNow({}),
    period: { from: fromNow({ days: -90 }), to: fromNow({}) },
    summary: {
      entityCount: 3,
      controlCount: 4,
      counts,
      review,
      openIncidents,
      score: 71,
    },
    byOwner: [],
    bySystem: [],
    byDomain: [],
    entities: [
      posture({ entityRef: 'component:default/a', grade: 'A', score: 95 }),
      posture({ entityRef: 'component:default/b', grade: 'A', score: 92 }),
      posture({ entityRef: 'component:default/c', grade: 'F', score: 20 }),
    ],
    incidents: {
      open: 2,
      reportedInPeriod: 5,
      containedInPeriod: 4,
      resolvedInPeriod: 4,
      meanHoursToContain: 5.25,
      meanHoursToResolve: 30,
      bySeverity: { critical: 1, high: 2, medium: 2, low: 0 },
      byStatus: {
        reported: 1,
        triaged: 0,
        contained: 1,
        eradicated: 0,
        recovered: 0,
        closed: 3,
      },
      items: [],
    },
    exceptions: {
      active: 1,
      expiringIn30Days: 1,
      expiredInPeriod: 0,
      requested: 0,
      requestedInPeriod: 1,
      approvedInPeriod: 1,
      rejectedInPeriod: 0,
      items: [],
    },
    testCoverage: {
      applicable: 12,
      testedInPeriod: 8,
      passing: 6,
      failing: 2,
      notTestedInPeriod: 4,
      neverTested: 3,
      byControl: [],
    },
  };
}

/** A roll-up item for a group. */
export function rollupItem(
  key: string | null,
  overrides: Partial<PostureRollupItem> = {},
): PostureRollupItem {
  return {
    key,
    entityCount: 2,
    counts: { passing: 3, failing: 1, overdue: 0, untested: 1, excepted: 0 },
    review: {
      current: 1,
      'due-soon': 0,
      'review-required': 0,
      overdue: 1,
      'never-reviewed': 0,
    },
    openIncidents: { critical: 0, high: 1, medium: 0, low: 0 },
    score: 64,
    ...overrides,
  };
}
