import { useState } from 'react';
import { Progress, Table, TableColumn } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ScheduledTest,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { describeScheduledDue, formatDate } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { ScheduleStateChip } from '../components/chips';
import { OverflowText } from '../components/OverflowText';
import {
  defaultScheduleRange,
  ScheduleFilters,
  toScheduleQuery,
} from './ScheduleFilters';
import { useOwnGroups } from './TeamsOverview';
import { ScheduledRemediationActions } from '../incidents/ScheduledRemediationActions';

const columns: TableColumn<ScheduledTest>[] = [
  {
    title: 'State',
    field: 'state',
    render: t => <ScheduleStateChip state={t.state} />,
  },
  {
    title: 'Entity',
    field: 'entityRef',
    render: t => (
      <EntityRefLink entityRef={t.entityRef}>
        {t.entityTitle ? <OverflowText text={t.entityTitle} /> : undefined}
      </EntityRefLink>
    ),
  },
  {
    title: 'Control',
    field: 'controlTitle',
    render: t => (
      <EntityRefLink entityRef={t.controlRef}>
        <OverflowText text={t.controlTitle} />
      </EntityRefLink>
    ),
  },
  {
    title: 'Owner',
    field: 'owner',
    render: t => (t.owner ? <EntityRefLink entityRef={t.owner} /> : '—'),
  },
  {
    title: 'Due',
    field: 'dueAt',
    render: t => describeScheduledDue(t),
  },
];

/**
 * Tests due in a date range, overdue tests and controls never tested. A
 * security manager starts with the whole organisation; anyone else with
 * their own team's schedule (the filter can be cleared).
 */
export function ScheduleTab() {
  const report = usePermission({ permission: securityReportReadPermission });
  const groups = useOwnGroups();
  if (report.loading || groups.loading) return <Progress />;
  const owner = report.allowed ? '' : groups.value?.[0] ?? '';
  return <Schedule initialOwner={owner} />;
}

function Schedule(props: { initialOwner: string }) {
  const [filters, setFilters] = useState({
    owner: props.initialOwner,
    ...defaultScheduleRange(),
  });
  const state = useSecurityData(
    api => api.getSchedule(toScheduleQuery(filters)),
    [filters],
  );
  return (
    <>
      <ScheduleFilters initial={filters} onApply={setFilters} />
      <AsyncContent state={state} action="view the testing schedule">
        {schedule => (
          <Table<ScheduledTest>
            title="Testing schedule"
            subtitle={`Due ${formatDate(schedule.from)} – ${formatDate(
              schedule.to,
            )}, plus everything overdue, never tested or to retest after an incident`}
            columns={columns}
            data={schedule.tests}
            options={{
              search: true,
              paging: schedule.tests.length > 20,
              pageSize: 20,
              padding: 'dense',
            }}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">
                  No test is due in this range, and none is overdue.
                </Typography>
              </Box>
            }
          />
        )}
      </AsyncContent>
      <ScheduledRemediationActions query={toScheduleQuery(filters)} />
    </>
  );
}
