import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  PostureChange,
  PostureChangeKind,
  PostureChanges,
} from '@open-itsm/plugin-security-management-common';
import { formatDateTime } from '../lib/format';

const LABELS: Record<PostureChangeKind, string> = {
  'new-failure': 'New failure',
  'newly-overdue': 'Newly overdue',
  fixed: 'Fixed',
};

const PLURALS: Record<PostureChangeKind, string> = {
  'new-failure': 'new failures',
  'newly-overdue': 'newly overdue',
  fixed: 'fixed',
};

/**
 * What changed over the period: the counts by kind, and the changes
 * themselves, newest first. `showEntity` adds the entity column (for a
 * group or the organisation).
 */
export function ChangesList(props: {
  changes: PostureChanges;
  showEntity?: boolean;
}) {
  const { changes, showEntity } = props;
  const columns: TableColumn<PostureChange>[] = [
    { title: 'When', field: 'at', render: c => formatDateTime(c.at) },
    { title: 'Change', field: 'kind', render: c => LABELS[c.kind] },
    ...(showEntity
      ? [
          {
            title: 'Entity',
            field: 'entityRef',
            render: (c: PostureChange) => (
              <EntityRefLink entityRef={c.entityRef} title={c.entityTitle} />
            ),
          },
        ]
      : []),
    {
      title: 'Control',
      field: 'controlRef',
      render: c => (
        <EntityRefLink entityRef={c.controlRef} title={c.controlTitle} />
      ),
    },
  ];
  return (
    <Box>
      <Box display="flex" flexWrap="wrap" mb={1} aria-label="What changed">
        {(Object.keys(LABELS) as PostureChangeKind[]).map(kind => (
          <Box key={kind} mr={1} mb={1}>
            <Chip
              size="small"
              label={`${changes.counts[kind]} ${PLURALS[kind]}`}
            />
          </Box>
        ))}
      </Box>
      {changes.items.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No control became failing, overdue or fixed in this period.
        </Typography>
      ) : (
        <Table<PostureChange>
          columns={columns}
          data={changes.items}
          options={{
            search: false,
            toolbar: false,
            paging: changes.items.length > 10,
            pageSize: 10,
            padding: 'dense',
          }}
        />
      )}
      {changes.totalCount > changes.items.length && (
        <Typography variant="caption" color="textSecondary">
          The newest {changes.items.length} of {changes.totalCount} changes.
        </Typography>
      )}
    </Box>
  );
}
