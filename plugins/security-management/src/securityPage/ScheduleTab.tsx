import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ScheduledTest } from '@open-itsm/plugin-security-management-common';
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

/** Tests due in a date range, overdue tests and controls never tested. */
export function ScheduleTab() {
  const [filters, setFilters] = useState({
    owner: '',
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
            )}, plus everything overdue or never tested`}
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
    </>
  );
}
