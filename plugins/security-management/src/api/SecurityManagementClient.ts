import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  createSecurityManagementCaller,
  fetchOperation,
  operationUrl,
  SECURITY_MANAGEMENT_PLUGIN_ID,
  SecurityManagementCaller,
  SecurityManagementCallerOptions,
} from '@open-itsm/plugin-security-management-common';
import { SecurityManagementApi } from './SecurityManagementApi';

type Api = SecurityManagementApi;

/**
 * The {@link SecurityManagementApi} over HTTP, using the Backstage fetch API
 * so that every request carries the user's token. Each method is one
 * operation of the contract in `-common`, which gives its method, path and
 * types.
 *
 * @public
 */
export class SecurityManagementClient implements SecurityManagementApi {
  private readonly options: SecurityManagementCallerOptions;
  private readonly call: SecurityManagementCaller;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.options = {
      baseUrl: () =>
        options.discoveryApi.getBaseUrl(SECURITY_MANAGEMENT_PLUGIN_ID),
      fetch: (input, init) => options.fetchApi.fetch(input, init),
    };
    this.call = createSecurityManagementCaller(this.options);
  }

  getEntityPosture: Api['getEntityPosture'] = query =>
    this.call('getEntityPosture', { query });

  getPostureBatch: Api['getPostureBatch'] = body =>
    this.call('getPostureBatch', { body });

  listPosture: Api['listPosture'] = query =>
    this.call('listPosture', { query });

  getPostureRollup: Api['getPostureRollup'] = query =>
    this.call('getPostureRollup', { query });

  listControls: Api['listControls'] = () => this.call('listControls', {});

  getControlCoverage: Api['getControlCoverage'] = query =>
    this.call('getControlCoverage', { query });

  listControlsNotInEffect: Api['listControlsNotInEffect'] = () =>
    this.call('listControlsNotInEffect', {});

  listTestRecords: Api['listTestRecords'] = query =>
    this.call('listTestRecords', { query });

  createTestRecord: Api['createTestRecord'] = body =>
    this.call('createTestRecord', { body });

  createTestRecords: Api['createTestRecords'] = body =>
    this.call('createTestRecords', { body });

  listIncidents: Api['listIncidents'] = query =>
    this.call('listIncidents', { query });

  getIncident: Api['getIncident'] = params =>
    this.call('getIncident', { params });

  createIncident: Api['createIncident'] = body =>
    this.call('createIncident', { body });

  updateIncident: Api['updateIncident'] = ({ id, patch }) =>
    this.call('updateIncident', { params: { id }, body: patch });

  transitionIncident: Api['transitionIncident'] = ({ id, ...body }) =>
    this.call('transitionIncident', { params: { id }, body });

  setIncidentReview: Api['setIncidentReview'] = ({ id, review }) =>
    this.call('setIncidentReview', { params: { id }, body: review });

  getIncidentTimeline: Api['getIncidentTimeline'] = params =>
    this.call('getIncidentTimeline', { params });

  listReviews: Api['listReviews'] = query =>
    this.call('listReviews', { query });

  createReview: Api['createReview'] = body =>
    this.call('createReview', { body });

  listExceptions: Api['listExceptions'] = query =>
    this.call('listExceptions', { query });

  requestException: Api['requestException'] = body =>
    this.call('requestException', { body });

  approveException: Api['approveException'] = ({ id, ...body }) =>
    this.call('approveException', { params: { id }, body });

  rejectException: Api['rejectException'] = ({ id, ...body }) =>
    this.call('rejectException', { params: { id }, body });

  getSchedule: Api['getSchedule'] = query =>
    this.call('getSchedule', { query });

  getReport: Api['getReport'] = () =>
    this.call('getReport', { query: { format: 'json' } });

  getReportCsv: Api['getReportCsv'] = async () => {
    const response = await fetchOperation(this.options, 'getReport', {
      query: { format: 'csv' },
    });
    return response.text();
  };

  getReportCsvUrl: Api['getReportCsvUrl'] = async () =>
    operationUrl(await this.options.baseUrl(), 'getReport', {
      query: { format: 'csv' },
    });

  refreshApplicability: Api['refreshApplicability'] = () =>
    this.call('refreshApplicability', {});
}
