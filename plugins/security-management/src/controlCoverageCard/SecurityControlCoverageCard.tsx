import { ReactNode } from 'react';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_CONTROLS,
  ControlCoverage,
  CONTROL_STATUSES,
} from '@open-itsm/plugin-security-management-common';
import { SecurityDataProvider, useSecurityData } from '../lib/data';
import { isNotFound } from '../lib/errors';
import {
  describeCadence,
  describeNextTest,
  formatDate,
  humanize,
} from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { ControlStatusChip, FrameworkChips } from '../components/chips';
import { TestReportDownload } from '../reports';
import { OverflowText, WRAP_STYLE } from '../components/OverflowText';

type CoverageRow = ControlCoverage['entities'][number];

const columns: TableColumn<CoverageRow>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: row => (
      <EntityRefLink entityRef={row.entityRef}>
        {row.title ? <OverflowText text={row.title} /> : undefined}
      </EntityRefLink>
    ),
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row => (row.owner ? <EntityRefLink entityRef={row.owner} /> : '—'),
  },
  {
    title: 'Status',
    field: 'status',
    render: row => <ControlStatusChip status={row.status} />,
  },
  {
    title: 'Last tested',
    field: 'lastTestedAt',
    render: row => formatDate(row.lastTestedAt),
  },
  {
    title: 'Next due',
    field: 'nextDueAt',
    render: row => describeNextTest(row),
  },
];

function Detail(props: { label: string; children: ReactNode }) {
  return (
    <Grid item xs={12} sm={6}>
      <Typography variant="subtitle2">{props.label}</Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Grid>
  );
}

function Coverage(props: { coverage: ControlCoverage }) {
  const { control, entities } = props.coverage;
  const counts = CONTROL_STATUSES.map(status => ({
    status,
    count: entities.filter(e => e.status === status).length,
  })).filter(c => c.count > 0);
  return (
    <>
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <Typography variant="body2" style={WRAP_STYLE}>
            {control.description || 'No description.'}
          </Typography>
        </Grid>
        <Detail label="Cadence">{describeCadence(control.cadence)}</Detail>
        <Detail label="Test method">{humanize(control.method)}</Detail>
        <Detail label="Category">{humanize(control.category)}</Detail>
        <Detail label="Criticality">{humanize(control.criticality)}</Detail>
        <Grid item xs={12}>
          <Typography variant="subtitle2">Procedure</Typography>
          <Typography variant="body2" style={WRAP_STYLE}>
            {control.procedure || '—'}
          </Typography>
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2">Framework mappings</Typography>
          <FrameworkChips frameworks={control.frameworks} />
        </Grid>
      </Grid>
      <Box mt={3}>
        <Typography variant="h6">
          Applies to {entities.length} entities
        </Typography>
        {entities.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No entity matches this control&apos;s <code>appliesTo</code>{' '}
            selectors or lists it in its <code>{ANNOTATION_CONTROLS}</code>{' '}
            annotation.
          </Typography>
        ) : (
          <>
            <Typography variant="body2" gutterBottom>
              {counts.map(c => `${c.count} ${c.status}`).join(' · ')}
            </Typography>
            <Table<CoverageRow>
              columns={columns}
              data={entities}
              options={{
                search: entities.length > 10,
                paging: entities.length > 20,
                pageSize: 20,
                padding: 'dense',
                toolbar: entities.length > 10,
              }}
            />
          </>
        )}
      </Box>
    </>
  );
}

function CoverageBody(props: {
  controlRef: string;
  hasProcessingErrors: boolean;
}) {
  const state = useSecurityData(
    api =>
      api
        .getControlCoverage({ controlRef: props.controlRef })
        .catch(e => (isNotFound(e) ? null : Promise.reject(e))),
    [props.controlRef],
  );
  return (
    <AsyncContent state={state} action="view the coverage of this control">
      {coverage => {
        if (coverage) {
          return (
            <>
              <Coverage coverage={coverage} />
              <Box mt={3}>
                <Typography variant="h6">Test report</Typography>
                <Typography variant="body2" paragraph>
                  Every test of this control in a period, on every entity, with
                  its result and evidence, and the entities left untested.
                </Typography>
                <TestReportDownload controlRef={props.controlRef} />
              </Box>
            </>
          );
        }
        return (
          <Typography variant="body2">
            {props.hasProcessingErrors
              ? 'This control is not in effect: the catalog reports processing errors for it (shown on this page). Once they are fixed it applies from the next catalog refresh.'
              : 'Security management has not picked up this control yet. It reads the catalog periodically; check back in a few minutes.'}
          </Typography>
        );
      }}
    </AsyncContent>
  );
}

/**
 * On a SecurityControl's page: what the control requires, how and how often
 * it is tested, and the status of every entity it applies to.
 *
 * @public
 */
export function SecurityControlCoverageCard() {
  const { entity } = useEntity<AlphaEntity>();
  const hasProcessingErrors = (entity.status?.items ?? []).some(
    item =>
      item.level === 'error' &&
      item.type === ENTITY_STATUS_CATALOG_PROCESSING_TYPE,
  );
  return (
    <InfoCard title="Security control coverage">
      <SecurityDataProvider>
        <CoverageBody
          controlRef={stringifyEntityRef(entity)}
          hasProcessingErrors={hasProcessingErrors}
        />
      </SecurityDataProvider>
    </InfoCard>
  );
}
