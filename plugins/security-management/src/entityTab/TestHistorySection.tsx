import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { TestRecord } from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { formatDateTime, humanize } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { OverflowText } from '../components/OverflowText';

const HISTORY_LIMIT = 50;

const columns: TableColumn<TestRecord>[] = [
  {
    title: 'Tested',
    field: 'testedAt',
    render: r => formatDateTime(r.testedAt),
  },
  {
    title: 'Control',
    field: 'controlRef',
    render: r => <EntityRefLink entityRef={r.controlRef} />,
  },
  {
    title: 'Result',
    field: 'result',
    render: r => (
      <Chip
        size="small"
        label={humanize(r.result)}
        color={r.result === 'pass' ? 'primary' : 'secondary'}
      />
    ),
  },
  { title: 'Method', field: 'method', render: r => humanize(r.method) },
  { title: 'Tester', field: 'tester' },
  {
    title: 'Evidence',
    sorting: false,
    render: r =>
      r.evidenceUrl ? <Link to={r.evidenceUrl}>Evidence</Link> : '—',
  },
  {
    title: 'Notes',
    field: 'notes',
    render: r => (r.notes ? <OverflowText text={r.notes} lines={3} /> : '—'),
  },
];

/** The latest test records of the entity, newest first. */
export function TestHistorySection(props: { entityRef: string }) {
  const state = useSecurityData(
    api =>
      api.listTestRecords({ entityRef: props.entityRef, limit: HISTORY_LIMIT }),
    [props.entityRef],
  );
  return (
    <InfoCard title="Test history">
      <AsyncContent state={state} action="view the test history">
        {page =>
          page.items.length === 0 ? (
            <Typography variant="body2">
              No tests have been recorded for this entity yet.
            </Typography>
          ) : (
            <>
              <Table<TestRecord>
                columns={columns}
                data={page.items}
                options={{
                  search: false,
                  paging: page.items.length > 10,
                  padding: 'dense',
                  toolbar: false,
                }}
              />
              {page.totalCount > page.items.length && (
                <Box mt={1}>
                  <Typography variant="caption">
                    Showing the latest {page.items.length} of {page.totalCount}{' '}
                    tests.
                  </Typography>
                </Box>
              )}
            </>
          )
        }
      </AsyncContent>
    </InfoCard>
  );
}
