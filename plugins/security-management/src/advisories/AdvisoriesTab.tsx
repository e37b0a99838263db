import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import {
  ADVISORY_SEVERITIES,
  AdvisoryFindingCounts,
} from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { humanize } from '../lib/format';
import { AdvisoryFeedsPanel } from './AdvisoryFeedsPanel';
import {
  AdvisoryFilterValues,
  AdvisoryFilters,
  DEFAULT_ADVISORY_FILTERS,
  toFindingQuery,
} from './AdvisoryFilters';
import { FindingsTable } from './FindingsTable';

const PAGE_SIZES = [25, 50, 100];

function Stat(props: { label: string; value: number; alarm?: boolean }) {
  return (
    <Box mr={3} display="inline-block" textAlign="center">
      <Typography
        variant="h5"
        component="div"
        color={props.alarm && props.value > 0 ? 'error' : 'textPrimary'}
      >
        {props.value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
    </Box>
  );
}

/** The counts of every finding the filters select, before paging. */
function FindingCounts(props: { counts: AdvisoryFindingCounts }) {
  const { counts } = props;
  return (
    <Box mb={2} role="group" aria-label="Counts">
      <Stat label="Findings" value={counts.total} />
      <Stat label="Overdue" value={counts.overdue} alarm />
      <Stat label="Known exploited" value={counts.knownExploited} alarm />
      {ADVISORY_SEVERITIES.map(severity => (
        <Stat
          key={severity}
          label={humanize(severity)}
          value={counts.bySeverity[severity] ?? 0}
        />
      ))}
    </Box>
  );
}

/**
 * Advisories across the organisation: every finding the filters select,
 * counted and paged, and the state of the advisory feeds.
 */
export function AdvisoriesTab() {
  const [filters, setFilters] = useState<AdvisoryFilterValues>(
    DEFAULT_ADVISORY_FILTERS,
  );
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const state = useSecurityData(
    api =>
      api.listAdvisoryFindings({
        ...toFindingQuery(filters),
        limit: pageSize,
        offset: page * pageSize,
      }),
    [filters, page, pageSize],
  );

  const applyFilters = (value: AdvisoryFilterValues) => {
    setFilters(value);
    setPage(0);
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AdvisoryFilters value={filters} onChange={applyFilters} />
        <AsyncContent state={state} action="view advisories">
          {result => (
            <>
              <FindingCounts counts={result.counts} />
              <Paper>
                <FindingsTable
                  findings={result.items}
                  showEntity
                  maxReasons={2}
                  emptyContent={
                    <Typography variant="body2">
                      No advisory finding matches these filters.
                    </Typography>
                  }
                />
                <TablePagination
                  component="div"
                  count={result.totalCount}
                  page={Math.min(
                    page,
                    Math.max(0, Math.ceil(result.totalCount / pageSize) - 1),
                  )}
                  rowsPerPage={pageSize}
                  rowsPerPageOptions={PAGE_SIZES}
                  onPageChange={(_, next) => setPage(next)}
                  onRowsPerPageChange={e => {
                    setPageSize(Number(e.target.value));
                    setPage(0);
                  }}
                />
              </Paper>
            </>
          )}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <AdvisoryFeedsPanel />
      </Grid>
    </Grid>
  );
}
