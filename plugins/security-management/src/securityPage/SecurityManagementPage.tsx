import {
  Content,
  Header,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { securityReportReadPermission } from '@open-itsm/plugin-security-management-common';
import { AdvisoriesTab } from '../advisories';
import { AlertsTab } from '../alerts';
import { CampaignsTab } from '../campaigns';
import { EventsTab } from '../correlation';
import { FrameworksTab } from '../frameworks';
import { SecurityDataProvider } from '../lib/data';
import { PoliciesTab } from '../policies';
import { ControlLibraryTab } from './ControlLibraryTab';
import { ExceptionsTab } from './ExceptionsTab';
import { IncidentsTab } from './IncidentsTab';
import { OverviewTab } from './OverviewTab';
import { ReportTab } from './ReportTab';
import { ReviewsTab } from './ReviewsTab';
import { ScheduleTab } from './ScheduleTab';

/**
 * The tabs of the security managers' page, without a page header (the new
 * frontend system draws its own).
 */
export function SecurityManagementTabs() {
  // The report is for those who may read it; nobody else gets a tab that
  // only says they may not.
  const { allowed: canReport } = usePermission({
    permission: securityReportReadPermission,
  });
  const tabs = [
    <TabbedLayout.Route key="overview" path="/" title="Overview">
      <OverviewTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route
      key="schedule"
      path="/schedule"
      title="Testing schedule"
    >
      <ScheduleTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="incidents" path="/incidents" title="Incidents">
      <IncidentsTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="reviews" path="/reviews" title="Reviews due">
      <ReviewsTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="exceptions" path="/exceptions" title="Exceptions">
      <ExceptionsTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="alerts" path="/alerts" title="Alerts">
      <AlertsTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="campaigns" path="/campaigns" title="Campaigns">
      <CampaignsTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="controls" path="/controls" title="Control library">
      <ControlLibraryTab />
    </TabbedLayout.Route>,
    <TabbedLayout.Route key="policies" path="/policies" title="Policies">
      <PoliciesTab />
    </TabbedLayout.Route>,
  ];
  if (canReport) {
    tabs.push(
      <TabbedLayout.Route
        key="advisories"
        path="/advisories"
        title="Advisories"
      >
        <AdvisoriesTab />
      </TabbedLayout.Route>,
      <TabbedLayout.Route key="events" path="/events" title="Events">
        <EventsTab />
      </TabbedLayout.Route>,
      <TabbedLayout.Route
        key="frameworks"
        path="/frameworks"
        title="Frameworks"
      >
        <FrameworksTab />
      </TabbedLayout.Route>,
      <TabbedLayout.Route key="report" path="/report" title="Report">
        <ReportTab />
      </TabbedLayout.Route>,
    );
  }
  return (
    <SecurityDataProvider>
      <TabbedLayout>{tabs}</TabbedLayout>
    </SecurityDataProvider>
  );
}

/**
 * The security managers' page: organisation-wide posture, testing schedule,
 * incident register, reviews due, exceptions, control library and report.
 *
 * @public
 */
export function SecurityManagementPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Security management"
        subtitle="IT security posture, testing, incidents and reviews"
      />
      <Content>
        <SecurityManagementTabs />
      </Content>
    </Page>
  );
}
