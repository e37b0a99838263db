import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  CONTROL_STATUSES,
  CoverageRequirement,
  FrameworkCoverage,
  FrameworkImport,
  REQUIREMENT_COVERAGE_STATUSES,
} from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { formatDateTime, humanize } from '../lib/format';
import {
  FrameworkPicker,
  FrameworkWarnings,
  RequirementName,
  RequirementStatusChip,
} from './parts';

const requirementColumns: TableColumn<CoverageRequirement>[] = [
  {
    title: 'Requirement',
    field: 'label',
    render: r => (
      <RequirementName
        label={r.label}
        title={r.title}
        requirementRef={r.requirementRef}
      />
    ),
  },
  { title: 'Family', field: 'family', render: r => r.family ?? '—' },
  {
    title: 'Status',
    field: 'status',
    render: r => <RequirementStatusChip status={r.status} />,
  },
  {
    title: 'Controls',
    sorting: false,
    render: r =>
      r.controls.length
        ? r.controls.map(control => (
            <Box key={control.controlRef}>
              <EntityRefLink entityRef={control.controlRef}>
                {control.title}
              </EntityRefLink>{' '}
              <Typography variant="caption" color="textSecondary">
                on {control.applicableCount}
              </Typography>
            </Box>
          ))
        : '—',
  },
  {
    title: 'Entities by status',
    sorting: false,
    render: r =>
      CONTROL_STATUSES.filter(s => r.counts[s] > 0)
        .map(s => `${r.counts[s]} ${s}`)
        .join(' · ') || '—',
  },
];

/** The import runs: a failed one is an error naming why; the previous import stays. */
function ImportsPanel(props: { imports: FrameworkImport[] }) {
  if (!props.imports.length) return null;
  return (
    <Box mb={2}>
      {props.imports.map(run =>
        run.lastOutcome === 'failed' ? (
          <Box key={run.importId} mb={1}>
            <Alert severity="error">
              OSCAL import {run.importId} ({run.framework}) failed at{' '}
              {formatDateTime(run.lastRunAt)}: {run.error ?? 'no reason given'}.{' '}
              {run.lastImportedAt
                ? `The import of ${formatDateTime(run.lastImportedAt)} (${
                    run.requirementCount ?? 0
                  } requirements) stays in the catalog.`
                : 'Nothing was imported yet.'}
            </Alert>
          </Box>
        ) : (
          <Typography key={run.importId} variant="body2" color="textSecondary">
            OSCAL import {run.importId}: {run.requirementCount ?? 0}{' '}
            {run.framework} requirements from {run.target}, imported{' '}
            {formatDateTime(run.lastImportedAt)}.
          </Typography>
        ),
      )}
    </Box>
  );
}

function CoverageSummary(props: { coverage: FrameworkCoverage }) {
  const { coverage } = props;
  const { summary } = coverage;
  return (
    <Box mb={2}>
      <Typography variant="h6">{coverage.frameworkTitle}</Typography>
      <Typography variant="body2" paragraph>
        {summary.coveredCount} of {summary.requirementCount} requirements are
        covered by at least one control
        {coverage.source === 'mapped'
          ? ' (the requirements are the refs the controls map to; import the framework from OSCAL to see the gaps)'
          : ''}
        .
      </Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {REQUIREMENT_COVERAGE_STATUSES.filter(
          status => summary.byStatus[status] > 0,
        ).map(status => (
          <Box key={status} display="flex" alignItems="center">
            <RequirementStatusChip status={status} />
            <Typography variant="body2" style={{ marginLeft: 4 }}>
              {summary.byStatus[status]}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

function FrameworkCoverageView(props: { framework: string }) {
  const coverage = useSecurityData(
    api => api.getFrameworkCoverage({ framework: props.framework }),
    [props.framework],
  );
  return (
    <AsyncContent state={coverage} action="view framework coverage">
      {value => (
        <>
          <CoverageSummary coverage={value} />
          <FrameworkWarnings warnings={value.warnings} />
          <Table<CoverageRequirement>
            title={`Requirements (${value.requirements.length})`}
            columns={requirementColumns}
            data={value.requirements}
            options={{
              search: true,
              paging: value.requirements.length > 20,
              pageSize: 20,
              padding: 'dense',
            }}
          />
        </>
      )}
    </AsyncContent>
  );
}

/**
 * The organisation's frameworks: the OSCAL imports and their errors, each
 * framework's coverage by status, and its requirements with the controls
 * that cover them.
 */
export function FrameworksTab() {
  const frameworks = useSecurityData(api => api.listFrameworks(), []);
  const imports = useSecurityData(api => api.listFrameworkImports(), []);
  const [selected, setSelected] = useState<string>();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent state={imports} action="view the OSCAL imports">
          {list => <ImportsPanel imports={list.items} />}
        </AsyncContent>
        <AsyncContent state={frameworks} action="view the frameworks">
          {list =>
            list.items.length ? (
              <>
                <Box mb={2}>
                  <FrameworkPicker
                    frameworks={list.items}
                    value={selected ?? list.items[0].framework}
                    onChange={setSelected}
                  />
                  <Typography variant="caption" display="block">
                    {list.items
                      .map(
                        item =>
                          `${item.title}: ${
                            item.requirementCount
                          } requirements, ${
                            item.controlCount
                          } controls (${humanize(item.source)})`,
                      )
                      .join(' · ')}
                  </Typography>
                </Box>
                <FrameworkCoverageView
                  framework={selected ?? list.items[0].framework}
                />
              </>
            ) : (
              <Typography variant="body2">
                No framework yet. Import one from OSCAL
                (securityManagement.oscal.imports) or map controls to one with
                their spec.frameworks.
              </Typography>
            )
          }
        </AsyncContent>
      </Grid>
    </Grid>
  );
}
