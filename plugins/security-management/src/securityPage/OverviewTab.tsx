import { useState } from 'react';
import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import {
  CONTROL_STATUSES,
  EntityPosture,
  INCIDENT_SEVERITIES,
  IncidentSeverityCounts,
  PostureGrade,
  PostureRollupItem,
  RollupDimension,
  SecurityReport,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { entityColumns } from './entityColumns';
import { TeamsOverview } from './TeamsOverview';
import { humanize } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { OrganisationTrendCard } from '../history';
import { BarChart } from '../components/BarChart';
import { CONTROL_STATUS_TONE, GRADE_TONE } from '../components/chips';

const GRADES: PostureGrade[] = ['A', 'B', 'C', 'D', 'F', 'N/A'];
const DRILL_DOWN_LIMIT = 500;

/** Open incidents of all severities, when the API gave counts. */
function totalOf(counts: IncidentSeverityCounts | undefined) {
  return counts && INCIDENT_SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
}

function Summary(props: { report: SecurityReport }) {
  const { summary, incidents, exceptions } = props.report;
  const openIncidents = totalOf(summary.openIncidents);
  // Incident figures are in the report only for a reader who may read
  // incidents, and count only those; otherwise they are not shown at all.
  const figures = [
    { label: 'Entities', value: summary.entityCount },
    { label: 'Controls', value: summary.controlCount },
    {
      label: 'Score',
      value: summary.score === null ? '—' : `${summary.score}/100`,
    },
    ...(openIncidents === undefined
      ? []
      : [{ label: 'Open incidents', value: openIncidents }]),
    { label: 'Reviews overdue', value: summary.review.overdue },
    // Reviews that a change in the catalog made due before their date.
    { label: 'Reviews required', value: summary.review['review-required'] },
    { label: 'Active exceptions', value: exceptions.active },
    ...(incidents === undefined
      ? []
      : [
          {
            label: 'Mean time to contain',
            value:
              incidents.meanHoursToContain === null
                ? '—'
                : `${incidents.meanHoursToContain.toFixed(1)} h`,
          },
        ]),
  ];
  return (
    <Grid container spacing={3}>
      {figures.map(f => (
        <Grid item key={f.label}>
          <Typography variant="h5">{f.value}</Typography>
          <Typography variant="caption" color="textSecondary">
            {f.label}
          </Typography>
        </Grid>
      ))}
    </Grid>
  );
}

function Distributions(props: { report: SecurityReport }) {
  const { report } = props;
  const grades = GRADES.map(grade => ({
    label: grade,
    value: report.entities.filter(e => e.grade === grade).length,
    tone: GRADE_TONE[grade],
  }));
  const statuses = CONTROL_STATUSES.map(status => ({
    label: humanize(status),
    value: report.summary.counts[status],
    tone: CONTROL_STATUS_TONE[status],
  }));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Entities by grade">
          <BarChart title="Entities by grade" bars={grades} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Controls by status">
          <BarChart title="Controls by status" bars={statuses} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

function GroupEntities(props: { by: RollupDimension; group: string }) {
  const { by, group } = props;
  const state = useSecurityData(
    api =>
      api.listPosture({
        owner: by === 'owner' ? group : undefined,
        system: by === 'system' ? group : undefined,
        domain: by === 'domain' ? group : undefined,
        limit: DRILL_DOWN_LIMIT,
      }),
    [by, group],
  );
  return (
    <AsyncContent state={state} action="list the entities of this group">
      {page => (
        <Table<EntityPosture>
          title={`Entities of ${group}`}
          columns={entityColumns}
          data={page.items}
          options={{
            search: false,
            paging: page.items.length > 20,
            pageSize: 20,
            padding: 'dense',
          }}
        />
      )}
    </AsyncContent>
  );
}

function Rollup(props: { by: RollupDimension }) {
  const { by } = props;
  const [group, setGroup] = useState<string>();
  const state = useSecurityData(api => api.getPostureRollup({ by }), [by]);
  const showIncidents = state.value?.items.some(
    item => item.openIncidents !== undefined,
  );
  const columns: TableColumn<PostureRollupItem>[] = [
    {
      title: humanize(by),
      field: 'key',
      cellStyle: { whiteSpace: 'nowrap' },
      render: item =>
        item.key ? <EntityRefLink entityRef={item.key} /> : `No ${by}`,
    },
    { title: 'Entities', field: 'entityCount' },
    { title: 'Score', field: 'score', render: item => item.score ?? '—' },
    { title: 'Passing', field: 'counts.passing' },
    { title: 'Failing', field: 'counts.failing' },
    { title: 'Overdue', field: 'counts.overdue' },
    { title: 'Untested', field: 'counts.untested' },
    { title: 'Reviews overdue', field: 'review.overdue' },
    { title: 'Reviews required', field: 'review.review-required' },
    ...(showIncidents
      ? [
          {
            title: 'Open incidents',
            sorting: false,
            render: (item: PostureRollupItem) => totalOf(item.openIncidents),
          },
        ]
      : []),
    {
      title: '',
      sorting: false,
      cellStyle: { whiteSpace: 'nowrap' },
      render: item =>
        item.key ? (
          <Button
            size="small"
            color="primary"
            onClick={() => setGroup(item.key ?? undefined)}
          >
            Show entities
          </Button>
        ) : null,
    },
  ];
  return (
    <AsyncContent state={state} action="view the posture roll-up">
      {rollup => (
        <>
          <Table<PostureRollupItem>
            columns={columns}
            data={rollup.items}
            options={{
              search: false,
              paging: rollup.items.length > 20,
              pageSize: 20,
              padding: 'dense',
              toolbar: false,
            }}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">No entities yet.</Typography>
              </Box>
            }
          />
          {group && (
            <Box mt={2}>
              <GroupEntities by={by} group={group} />
            </Box>
          )}
        </>
      )}
    </AsyncContent>
  );
}

/**
 * Organisation-wide posture (distributions and roll-ups with drill-down)
 * for those who may read the report; everyone else sees their own teams.
 */
export function OverviewTab() {
  const { allowed, loading } = usePermission({
    permission: securityReportReadPermission,
  });
  if (loading) return <Progress />;
  return allowed ? <OrganisationOverview /> : <TeamsOverview />;
}

function OrganisationOverview() {
  const [by, setBy] = useState<RollupDimension>('owner');
  const report = useSecurityData(api => api.getReport(), []);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent state={report} action="view the security report">
          {value => (
            <>
              <Box mb={3}>
                <Summary report={value} />
              </Box>
              <Distributions report={value} />
            </>
          )}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <OrganisationTrendCard />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Roll-up">
          <Tabs
            value={by}
            onChange={(_, value) => setBy(value)}
            indicatorColor="primary"
          >
            <Tab value="owner" label="By owner" />
            <Tab value="system" label="By system" />
            <Tab value="domain" label="By domain" />
          </Tabs>
          <Box mt={2}>
            <Rollup key={by} by={by} />
          </Box>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
