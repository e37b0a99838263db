import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApplicabilityRefreshResult,
  ControlCoverage,
  EntityPosture,
  EntityPostureResponse,
  ExceptionDecisionInput,
  ExceptionInput,
  ExceptionQuery,
  Incident,
  IncidentInput,
  IncidentPatch,
  IncidentQuery,
  IncidentReviewInput,
  IncidentTimeline,
  IncidentTransitionInput,
  Page,
  PostureBatchInput,
  PostureBatchResult,
  PostureListQuery,
  PostureRollup,
  ReviewInput,
  ReviewQuery,
  RollupDimension,
  ScheduleQuery,
  SECURITY_MANAGEMENT_PLUGIN_ID,
  SECURITY_MANAGEMENT_ROUTES as ROUTES,
  SecurityException,
  SecurityReport,
  SecurityReview,
  TestingSchedule,
  TestRecord,
  TestRecordBatchInput,
  TestRecordBatchResult,
  TestRecordInput,
  TestRecordPostResult,
  TestRecordQuery,
} from '@open-itsm/plugin-security-management-common';
import { ControlList, SecurityManagementApi } from './SecurityManagementApi';

type QueryValue = string | number | boolean | string[] | undefined;

/** Repeats a key for each value of an array: `status=a&status=b`. */
function toSearch(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      value.forEach(item => params.append(key, item));
    } else {
      params.append(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

function withId(route: string, id: string): string {
  return route.replace(':id', encodeURIComponent(id));
}

/**
 * The {@link SecurityManagementApi} over HTTP, using the Backstage fetch API
 * so that every request carries the user's token.
 *
 * @public
 */
export class SecurityManagementClient implements SecurityManagementApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntityPosture(options: {
    entityRef: string;
  }): Promise<EntityPostureResponse> {
    return this.get(ROUTES.postureEntity, { entityRef: options.entityRef });
  }

  getPostureBatch(input: PostureBatchInput): Promise<PostureBatchResult> {
    return this.send('POST', ROUTES.postureBatch, input);
  }

  listPosture(query: PostureListQuery = {}): Promise<Page<EntityPosture>> {
    return this.get(ROUTES.postureList, { ...query });
  }

  getPostureRollup(options: { by: RollupDimension }): Promise<PostureRollup> {
    return this.get(ROUTES.postureRollup, { by: options.by });
  }

  listControls(): Promise<ControlList> {
    return this.get(ROUTES.controls);
  }

  getControlCoverage(options: {
    controlRef: string;
  }): Promise<ControlCoverage> {
    return this.get(ROUTES.controlCoverage, {
      controlRef: options.controlRef,
    });
  }

  listTestRecords(query: TestRecordQuery = {}): Promise<Page<TestRecord>> {
    return this.get(ROUTES.testRecords, { ...query });
  }

  createTestRecord(input: TestRecordInput): Promise<TestRecordPostResult> {
    return this.send('POST', ROUTES.testRecords, input);
  }

  createTestRecords(
    input: TestRecordBatchInput,
  ): Promise<TestRecordBatchResult> {
    return this.send('POST', ROUTES.testRecordBatch, input);
  }

  listIncidents(query: IncidentQuery = {}): Promise<Page<Incident>> {
    return this.get(ROUTES.incidents, { ...query });
  }

  getIncident(options: { id: string }): Promise<Incident> {
    return this.get(withId(ROUTES.incident, options.id));
  }

  createIncident(input: IncidentInput): Promise<Incident> {
    return this.send('POST', ROUTES.incidents, input);
  }

  updateIncident(options: {
    id: string;
    patch: IncidentPatch;
  }): Promise<Incident> {
    return this.send(
      'PATCH',
      withId(ROUTES.incident, options.id),
      options.patch,
    );
  }

  transitionIncident(
    options: { id: string } & IncidentTransitionInput,
  ): Promise<Incident> {
    const { id, ...body } = options;
    return this.send('POST', withId(ROUTES.incidentTransitions, id), body);
  }

  setIncidentReview(options: {
    id: string;
    review: IncidentReviewInput;
  }): Promise<Incident> {
    return this.send(
      'PUT',
      withId(ROUTES.incidentReview, options.id),
      options.review,
    );
  }

  getIncidentTimeline(options: { id: string }): Promise<IncidentTimeline> {
    return this.get(withId(ROUTES.incidentTimeline, options.id));
  }

  listReviews(query: ReviewQuery = {}): Promise<Page<SecurityReview>> {
    return this.get(ROUTES.reviews, { ...query });
  }

  createReview(input: ReviewInput): Promise<SecurityReview> {
    return this.send('POST', ROUTES.reviews, input);
  }

  listExceptions(query: ExceptionQuery = {}): Promise<Page<SecurityException>> {
    return this.get(ROUTES.exceptions, { ...query });
  }

  requestException(input: ExceptionInput): Promise<SecurityException> {
    return this.send('POST', ROUTES.exceptions, input);
  }

  approveException(
    options: { id: string } & ExceptionDecisionInput,
  ): Promise<SecurityException> {
    const { id, ...body } = options;
    return this.send('POST', withId(ROUTES.exceptionApprove, id), body);
  }

  rejectException(
    options: { id: string } & ExceptionDecisionInput,
  ): Promise<SecurityException> {
    const { id, ...body } = options;
    return this.send('POST', withId(ROUTES.exceptionReject, id), body);
  }

  getSchedule(query: ScheduleQuery = {}): Promise<TestingSchedule> {
    return this.get(ROUTES.schedule, { ...query });
  }

  getReport(): Promise<SecurityReport> {
    return this.get(ROUTES.report, { format: 'json' });
  }

  async getReportCsv(): Promise<string> {
    const response = await this.request(await this.getReportCsvUrl());
    return response.text();
  }

  async getReportCsvUrl(): Promise<string> {
    return `${await this.baseUrl()}${ROUTES.report}${toSearch({
      format: 'csv',
    })}`;
  }

  refreshApplicability(): Promise<ApplicabilityRefreshResult> {
    return this.send('POST', ROUTES.applicabilityRefresh, {});
  }

  private baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl(SECURITY_MANAGEMENT_PLUGIN_ID);
  }

  private async get<T>(
    path: string,
    query?: Record<string, QueryValue>,
  ): Promise<T> {
    const url = `${await this.baseUrl()}${path}${toSearch(query)}`;
    const response = await this.request(url);
    return (await response.json()) as T;
  }

  private async send<T>(
    method: 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
  ): Promise<T> {
    const response = await this.request(`${await this.baseUrl()}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  private async request(url: string, init?: RequestInit): Promise<Response> {
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
