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

  getEntityPosture: SecurityManagementApi['getEntityPosture'] = query =>
    this.call('getEntityPosture', { query });

  getPostureBatch: SecurityManagementApi['getPostureBatch'] = body =>
    this.call('getPostureBatch', { body });

  listPosture: SecurityManagementApi['listPosture'] = query =>
    this.call('listPosture', { query });

  getPostureRollup: SecurityManagementApi['getPostureRollup'] = query =>
    this.call('getPostureRollup', { query });

  getEntityTrend: SecurityManagementApi['getEntityTrend'] = query =>
    this.call('getEntityTrend', { query });

  getGroupTrend: SecurityManagementApi['getGroupTrend'] = query =>
    this.call('getGroupTrend', { query });

  getEntityChanges: SecurityManagementApi['getEntityChanges'] = query =>
    this.call('getEntityChanges', { query });

  getGroupChanges: SecurityManagementApi['getGroupChanges'] = query =>
    this.call('getGroupChanges', { query });

  listControls: SecurityManagementApi['listControls'] = () =>
    this.call('listControls', {});

  getControlCoverage: SecurityManagementApi['getControlCoverage'] = query =>
    this.call('getControlCoverage', { query });

  listControlsNotInEffect: SecurityManagementApi['listControlsNotInEffect'] =
    () => this.call('listControlsNotInEffect', {});

  listTestRecords: SecurityManagementApi['listTestRecords'] = query =>
    this.call('listTestRecords', { query });

  createTestRecord: SecurityManagementApi['createTestRecord'] = body =>
    this.call('createTestRecord', { body });

  createTestRecords: SecurityManagementApi['createTestRecords'] = body =>
    this.call('createTestRecords', { body });

  listIncidents: SecurityManagementApi['listIncidents'] = query =>
    this.call('listIncidents', { query });

  getIncident: SecurityManagementApi['getIncident'] = params =>
    this.call('getIncident', { params });

  createIncident: SecurityManagementApi['createIncident'] = body =>
    this.call('createIncident', { body });

  updateIncident: SecurityManagementApi['updateIncident'] = ({ id, patch }) =>
    this.call('updateIncident', { params: { id }, body: patch });

  transitionIncident: SecurityManagementApi['transitionIncident'] = ({
    id,
    ...body
  }) => this.call('transitionIncident', { params: { id }, body });

  setIncidentReview: SecurityManagementApi['setIncidentReview'] = ({
    id,
    review,
  }) => this.call('setIncidentReview', { params: { id }, body: review });

  getIncidentTimeline: SecurityManagementApi['getIncidentTimeline'] = params =>
    this.call('getIncidentTimeline', { params });

  listRemediationActions: SecurityManagementApi['listRemediationActions'] =
    query => this.call('listRemediationActions', { query });

  updateRemediationAction: SecurityManagementApi['updateRemediationAction'] = ({
    id,
    ...body
  }) => this.call('updateRemediationAction', { params: { id }, body });

  listRequiredRetests: SecurityManagementApi['listRequiredRetests'] = query =>
    this.call('listRequiredRetests', { query });

  listReviews: SecurityManagementApi['listReviews'] = query =>
    this.call('listReviews', { query });

  createReview: SecurityManagementApi['createReview'] = body =>
    this.call('createReview', { body });

  listReviewConditions: SecurityManagementApi['listReviewConditions'] = query =>
    this.call('listReviewConditions', { query });

  updateReviewCondition: SecurityManagementApi['updateReviewCondition'] = ({
    reviewId,
    position,
    ...body
  }) =>
    this.call('updateReviewCondition', {
      params: { id: reviewId, position },
      body,
    });

  listExceptions: SecurityManagementApi['listExceptions'] = query =>
    this.call('listExceptions', { query });

  requestException: SecurityManagementApi['requestException'] = body =>
    this.call('requestException', { body });

  approveException: SecurityManagementApi['approveException'] = ({
    id,
    ...body
  }) => this.call('approveException', { params: { id }, body });

  rejectException: SecurityManagementApi['rejectException'] = ({
    id,
    ...body
  }) => this.call('rejectException', { params: { id }, body });

  getSchedule: SecurityManagementApi['getSchedule'] = query =>
    this.call('getSchedule', { query });

  getReport: SecurityManagementApi['getReport'] = query =>
    this.call('getReport', { query: { ...query, format: 'json' } });

  getReportCsv: SecurityManagementApi['getReportCsv'] = async query => {
    const response = await fetchOperation(this.options, 'getReport', {
      query: { ...query, format: 'csv' },
    });
    return response.text();
  };

  getReportCsvUrl: SecurityManagementApi['getReportCsvUrl'] = async query =>
    operationUrl(await this.options.baseUrl(), 'getReport', {
      query: { ...query, format: 'csv' },
    });

  getTestReport: SecurityManagementApi['getTestReport'] = query =>
    this.call('getTestReport', { query: { ...query, format: 'json' } });

  getTestReportCsv: SecurityManagementApi['getTestReportCsv'] = async query => {
    const response = await fetchOperation(this.options, 'getTestReport', {
      query: { ...query, format: 'csv' },
    });
    return response.text();
  };

  refreshApplicability: SecurityManagementApi['refreshApplicability'] = () =>
    this.call('refreshApplicability', {});

  listAdvisoryFindings: SecurityManagementApi['listAdvisoryFindings'] = query =>
    this.call('listAdvisoryFindings', { query });

  getEntityAdvisories: SecurityManagementApi['getEntityAdvisories'] = query =>
    this.call('getEntityAdvisories', { query });

  transitionAdvisoryFinding: SecurityManagementApi['transitionAdvisoryFinding'] =
    ({ id, ...body }) =>
      this.call('transitionAdvisoryFinding', { params: { id }, body });

  refreshEntityAdvisories: SecurityManagementApi['refreshEntityAdvisories'] =
    body => this.call('refreshEntityAdvisories', { body });

  getAdvisoryFeeds: SecurityManagementApi['getAdvisoryFeeds'] = () =>
    this.call('getAdvisoryFeeds', {});

  refreshAdvisories: SecurityManagementApi['refreshAdvisories'] = () =>
    this.call('refreshAdvisories', {});

  listCampaigns: SecurityManagementApi['listCampaigns'] = query =>
    this.call('listCampaigns', { query });

  getCampaign: SecurityManagementApi['getCampaign'] = params =>
    this.call('getCampaign', { params });

  startCampaign: SecurityManagementApi['startCampaign'] = body =>
    this.call('startCampaign', { body });

  closeCampaign: SecurityManagementApi['closeCampaign'] = params =>
    this.call('closeCampaign', { params });

  listEntityCampaigns: SecurityManagementApi['listEntityCampaigns'] = query =>
    this.call('listEntityCampaigns', { query });

  listAlerts: SecurityManagementApi['listAlerts'] = query =>
    this.call('listAlerts', { query });

  listEntityAlerts: SecurityManagementApi['listEntityAlerts'] = query =>
    this.call('listEntityAlerts', { query });

  raiseAlert: SecurityManagementApi['raiseAlert'] = body =>
    this.call('raiseAlert', { body });

  resolveAlert: SecurityManagementApi['resolveAlert'] = ({ id, ...body }) =>
    this.call('resolveAlert', { params: { id }, body });

  listCorrelationRules: SecurityManagementApi['listCorrelationRules'] = () =>
    this.call('listCorrelationRules', {});

  listCorrelationFirings: SecurityManagementApi['listCorrelationFirings'] =
    query => this.call('listCorrelationFirings', { query });

  listPolicies: SecurityManagementApi['listPolicies'] = () =>
    this.call('listPolicies', {});

  getPolicy: SecurityManagementApi['getPolicy'] = ({ ref }) =>
    this.call('getPolicy', { params: { ref } });

  exportOscalComponentDefinition: SecurityManagementApi['exportOscalComponentDefinition'] =
    query => this.call('exportComponentDefinition', { query });

  exportOscalAssessmentResults: SecurityManagementApi['exportOscalAssessmentResults'] =
    query => this.call('exportAssessmentResults', { query });

  listFrameworks: SecurityManagementApi['listFrameworks'] = () =>
    this.call('listFrameworks', {});

  getStatementOfApplicability: SecurityManagementApi['getStatementOfApplicability'] =
    query =>
      this.call('getStatementOfApplicability', {
        query: { ...query, format: 'json' },
      });

  getStatementOfApplicabilityCsv: SecurityManagementApi['getStatementOfApplicabilityCsv'] =
    async query => {
      const response = await fetchOperation(
        this.options,
        'getStatementOfApplicability',
        { query: { ...query, format: 'csv' } },
      );
      return response.text();
    };

  getFrameworkCoverage: SecurityManagementApi['getFrameworkCoverage'] = query =>
    this.call('getFrameworkCoverage', { query });

  listFrameworkImports: SecurityManagementApi['listFrameworkImports'] = () =>
    this.call('listFrameworkImports', {});
}
