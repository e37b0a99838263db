import {
  Content,
  Header,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { SecurityDataProvider } from '../lib/data';
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
  return (
    <SecurityDataProvider>
      <TabbedLayout>
        <TabbedLayout.Route path="/" title="Overview">
          <OverviewTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/schedule" title="Testing schedule">
          <ScheduleTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/incidents" title="Incidents">
          <IncidentsTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/reviews" title="Reviews due">
          <ReviewsTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/exceptions" title="Exceptions">
          <ExceptionsTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/controls" title="Control library">
          <ControlLibraryTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/report" title="Report">
          <ReportTab />
        </TabbedLayout.Route>
      </TabbedLayout>
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
