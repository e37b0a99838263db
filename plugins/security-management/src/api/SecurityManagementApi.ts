import { createApiRef } from '@backstage/core-plugin-api';
import {
  AdvisoryFeedStatus,
  AdvisoryFinding,
  AdvisoryFindingPage,
  AdvisoryFindingQuery,
  AdvisoryFindingTransitionInput,
  AdvisoryRefreshResult,
  AlertInput,
  AlertPage,
  AlertQuery,
  AlertResolutionInput,
  ApplicabilityRefreshResult,
  Campaign,
  CampaignDetail,
  CampaignInput,
  CampaignPage,
  CampaignQuery,
  ControlCoverage,
  ControlList,
  ControlsNotInEffect,
  CorrelationFiring,
  CorrelationFiringQuery,
  CorrelationRuleList,
  EntityAdvisories,
  EntityAdvisoriesQuery,
  EntityAdvisoryRefreshInput,
  EntityAlerts,
  EntityAlertsQuery,
  EntityCampaigns,
  EntityCampaignsQuery,
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
  RemediationActionListItem,
  RemediationActionQuery,
  RemediationActionStatusInput,
  RequiredRetests,
  RetestQuery,
  IncidentTimeline,
  IncidentTransitionInput,
  OscalAssessmentResults,
  OscalAssessmentResultsQuery,
  OscalComponentDefinition,
  OscalComponentDefinitionQuery,
  Page,
  PostureBatchInput,
  PostureBatchResult,
  PostureListQuery,
  PostureRollup,
  EntityTrendQuery,
  GroupTrendQuery,
  PostureChanges,
  PostureTrend,
  ReportQuery,
  ReviewCondition,
  ReviewConditionQuery,
  ReviewConditionUpdate,
  ReviewInput,
  ReviewQuery,
  RollupDimension,
  ScheduleQuery,
  SecurityAlert,
  SecurityException,
  SecurityPolicy,
  SecurityPolicyList,
  SecurityReport,
  SecurityReview,
  TestingSchedule,
  TestReport,
  TestReportQuery,
  TestRecord,
  TestRecordBatchInput,
  TestRecordBatchResult,
  TestRecordInput,
  TestRecordPostResult,
  TestRecordQuery,
  FrameworkCoverage,
  FrameworkCoverageQuery,
  FrameworkImportList,
  FrameworkList,
  StatementOfApplicability,
  StatementOfApplicabilityQuery,
} from '@open-itsm/plugin-security-management-common';

/**
 * The client of the Security Management backend, one method per route.
 * Every method rejects with a `ResponseError` when the backend refuses.
 *
 * @public
 */
export interface SecurityManagementApi {
  /** The posture of one entity, with its controls. */
  getEntityPosture(options: {
    entityRef: string;
  }): Promise<EntityPostureResponse>;
  /** The posture of many entities, without their controls. */
  getPostureBatch(input: PostureBatchInput): Promise<PostureBatchResult>;
  /** A page of entities with their posture. */
  listPosture(query?: PostureListQuery): Promise<Page<EntityPosture>>;
  /** Posture rolled up by owner, system or domain. */
  getPostureRollup(options: { by: RollupDimension }): Promise<PostureRollup>;
  /** An entity's daily posture over the last 30, 90 or 365 days. */
  getEntityTrend(query: EntityTrendQuery): Promise<PostureTrend>;
  /** The organisation's, an owner's, a system's or a domain's daily posture. */
  getGroupTrend(query?: GroupTrendQuery): Promise<PostureTrend>;
  /** New failures, newly overdue and fixed controls of an entity. */
  getEntityChanges(query: EntityTrendQuery): Promise<PostureChanges>;
  /** New failures, newly overdue and fixed controls of a group. */
  getGroupChanges(query?: GroupTrendQuery): Promise<PostureChanges>;

  /** The control library, with how many entities each control applies to. */
  listControls(): Promise<ControlList>;
  /** A control and the status of every entity it applies to. */
  getControlCoverage(options: { controlRef: string }): Promise<ControlCoverage>;
  /**
   * Every control the catalog was given that is not in effect, with the
   * reason and its source location (needs `report.read`).
   */
  listControlsNotInEffect(): Promise<ControlsNotInEffect>;

  listTestRecords(query?: TestRecordQuery): Promise<Page<TestRecord>>;
  createTestRecord(input: TestRecordInput): Promise<TestRecordPostResult>;
  createTestRecords(
    input: TestRecordBatchInput,
  ): Promise<TestRecordBatchResult>;

  /** Incidents the caller may read. */
  listIncidents(query?: IncidentQuery): Promise<Page<Incident>>;
  getIncident(options: { id: string }): Promise<Incident>;
  createIncident(input: IncidentInput): Promise<Incident>;
  updateIncident(options: {
    id: string;
    patch: IncidentPatch;
  }): Promise<Incident>;
  /** Moves an incident to another phase; a stale `version` is a 409. */
  transitionIncident(
    options: { id: string } & IncidentTransitionInput,
  ): Promise<Incident>;
  setIncidentReview(options: {
    id: string;
    review: IncidentReviewInput;
  }): Promise<Incident>;
  getIncidentTimeline(options: { id: string }): Promise<IncidentTimeline>;
  /** Remediation actions of the incidents the caller may read. */
  listRemediationActions(
    query?: RemediationActionQuery,
  ): Promise<Page<RemediationActionListItem>>;
  /** Changes an action's status (incident.update on its incident). */
  updateRemediationAction(
    options: { id: string } & RemediationActionStatusInput,
  ): Promise<RemediationActionListItem>;
  /** Controls that need a retest after a post-incident review. */
  listRequiredRetests(query: RetestQuery): Promise<RequiredRetests>;

  listReviews(query?: ReviewQuery): Promise<Page<SecurityReview>>;
  createReview(input: ReviewInput): Promise<SecurityReview>;
  listReviewConditions(
    query?: ReviewConditionQuery,
  ): Promise<Page<ReviewCondition>>;
  /** Marks an open condition met or waived; 409 once it no longer is. */
  updateReviewCondition(
    options: { reviewId: string; position: number } & ReviewConditionUpdate,
  ): Promise<ReviewCondition>;

  listExceptions(query?: ExceptionQuery): Promise<Page<SecurityException>>;
  requestException(input: ExceptionInput): Promise<SecurityException>;
  approveException(
    options: { id: string } & ExceptionDecisionInput,
  ): Promise<SecurityException>;
  rejectException(
    options: { id: string } & ExceptionDecisionInput,
  ): Promise<SecurityException>;

  /** Tests and reviews due in a range, plus everything overdue. */
  getSchedule(query?: ScheduleQuery): Promise<TestingSchedule>;

  /** The IT security report, as of now or an instant and over a period. */
  getReport(query?: Omit<ReportQuery, 'format'>): Promise<SecurityReport>;
  /** One table of the IT security report as CSV text (entities by default). */
  getReportCsv(query?: Omit<ReportQuery, 'format'>): Promise<string>;
  /** The address of the CSV report, for tools that bring their own token. */
  getReportCsvUrl(query?: Omit<ReportQuery, 'format'>): Promise<string>;
  /** The tests of a control or an entity in a period, with result and evidence. */
  getTestReport(query: Omit<TestReportQuery, 'format'>): Promise<TestReport>;
  /** The test report as CSV text, one row per test. */
  getTestReportCsv(query: Omit<TestReportQuery, 'format'>): Promise<string>;

  /** Re-reads which controls apply to which entities from the catalog. */
  refreshApplicability(): Promise<ApplicabilityRefreshResult>;

  /** Advisory findings across the organisation, with counts (needs `report.read`). */
  listAdvisoryFindings(
    query?: AdvisoryFindingQuery,
  ): Promise<AdvisoryFindingPage>;
  /** The advisories affecting one entity, the reasons, and its component sources. */
  getEntityAdvisories(query: EntityAdvisoriesQuery): Promise<EntityAdvisories>;
  /** Moves a finding through its lifecycle; to its current status is a 409. */
  transitionAdvisoryFinding(
    options: { id: string } & AdvisoryFindingTransitionInput,
  ): Promise<AdvisoryFinding>;
  /** Re-reads one entity's components now and matches them. */
  refreshEntityAdvisories(
    input: EntityAdvisoryRefreshInput,
  ): Promise<EntityAdvisories>;
  /** The advisory feeds, and the component sources that failed. */
  getAdvisoryFeeds(): Promise<AdvisoryFeedStatus>;
  /** Reads every feed and every entity's components now, and matches. */
  refreshAdvisories(): Promise<AdvisoryRefreshResult>;

  /** Active campaigns by deadline, or archived ones, each with its progress. */
  listCampaigns(query?: CampaignQuery): Promise<CampaignPage>;
  /** A campaign with its progress per owner. */
  getCampaign(options: { id: string }): Promise<CampaignDetail>;
  /** Starts a campaign (needs `campaign.manage`). */
  startCampaign(input: CampaignInput): Promise<Campaign>;
  /** Closes a campaign now and archives its result; 409 once archived. */
  closeCampaign(options: { id: string }): Promise<Campaign>;
  /** The active campaigns covering an entity, with its items. */
  listEntityCampaigns(query: EntityCampaignsQuery): Promise<EntityCampaigns>;

  /** Security alerts, newest first, with counts by status. */
  listAlerts(query?: AlertQuery): Promise<AlertPage>;
  /** The active alerts affecting one entity, most severe first. */
  listEntityAlerts(query: EntityAlertsQuery): Promise<EntityAlerts>;
  /** Raises an alert for named entities and/or a catalog filter. */
  raiseAlert(input: AlertInput): Promise<SecurityAlert>;
  /** Resolves an alert; resolving it again is a 409. */
  resolveAlert(
    options: { id: string } & AlertResolutionInput,
  ): Promise<SecurityAlert>;

  /** The correlation rules with what each matched and fired (needs `report.read`). */
  listCorrelationRules(): Promise<CorrelationRuleList>;
  /** Incidents the correlation rules opened that the caller may read, newest first. */
  listCorrelationFirings(
    query?: CorrelationFiringQuery,
  ): Promise<Page<CorrelationFiring>>;

  /** The policy tree, each statement with the coverage of its controls. */
  listPolicies(): Promise<SecurityPolicyList>;
  /** One policy; its ref may leave out the kind. */
  getPolicy(options: { ref: string }): Promise<SecurityPolicy>;

  /** An entity's controls as an OSCAL component definition. */
  exportOscalComponentDefinition(
    query: OscalComponentDefinitionQuery,
  ): Promise<OscalComponentDefinition>;
  /** An entity's test records of a period (default the last 365 days) as OSCAL assessment results. */
  exportOscalAssessmentResults(
    query: OscalAssessmentResultsQuery,
  ): Promise<OscalAssessmentResults>;
  /** The frameworks the control library imports (OSCAL) or maps. */
  listFrameworks(): Promise<FrameworkList>;
  /** An entity's Statement of Applicability for a framework. */
  getStatementOfApplicability(
    query: Omit<StatementOfApplicabilityQuery, 'format'>,
  ): Promise<StatementOfApplicability>;
  /** The Statement of Applicability as CSV text, one row per requirement. */
  getStatementOfApplicabilityCsv(
    query: Omit<StatementOfApplicabilityQuery, 'format'>,
  ): Promise<string>;
  /** The organisation's coverage of a framework (needs `report.read`). */
  getFrameworkCoverage(
    query: FrameworkCoverageQuery,
  ): Promise<FrameworkCoverage>;
  /** The OSCAL imports' last runs (needs `report.read`). */
  listFrameworkImports(): Promise<FrameworkImportList>;
}

/**
 * The API reference of {@link SecurityManagementApi}.
 *
 * @public
 */
export const securityManagementApiRef = createApiRef<SecurityManagementApi>({
  id: 'plugin.security-management.service',
});
