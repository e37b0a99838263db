import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  AlertStatusCounts,
  AlertStatusFilter,
  SecurityAlert,
  securityAlertManagePermission,
} from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { SeverityChip } from '../components/chips';
import { ToggleChip } from '../components/filters';
import { OverflowText } from '../components/OverflowText';
import { useSecurityData } from '../lib/data';
import { formatDate, formatRelative, humanize } from '../lib/format';
import { RaisedBy } from './EntitySecurityAlertBanner';
import { RaiseAlertDialog } from './RaiseAlertDialog';
import { ResolveAlertDialog } from './ResolveAlertDialog';

const LIST_LIMIT = 200;
/** Entity refs of a scope named in a cell before "and N more". */
const LISTED_REFS = 3;

const FILTERS: Array<{ status: AlertStatusFilter; label: string }> = [
  { status: 'active', label: 'Active' },
  { status: 'expired', label: 'Expired' },
  { status: 'resolved', label: 'Resolved' },
  { status: 'all', label: 'All' },
];

function countOf(counts: AlertStatusCounts | undefined, status: string) {
  if (!counts) return undefined;
  return status === 'all'
    ? counts.active + counts.expired + counts.resolved
    : counts[status as keyof AlertStatusCounts];
}

/** What an alert was raised for, and how many entities that was. */
function Scope(props: { alert: SecurityAlert }) {
  const { scope, affectedEntityCount } = props.alert;
  const refs = scope.entityRefs ?? [];
  const filter = Object.entries(scope.filter ?? {})
    .map(([key, value]) => `${key}=${[value].flat().join('|')}`)
    .join(', ');
  return (
    <>
      <Typography variant="body2">
        {affectedEntityCount}{' '}
        {affectedEntityCount === 1 ? 'entity' : 'entities'}
      </Typography>
      {refs.slice(0, LISTED_REFS).map(ref => (
        <Box key={ref}>
          <EntityRefLink entityRef={ref} />
        </Box>
      ))}
      {refs.length > LISTED_REFS && (
        <Typography variant="caption">
          and {refs.length - LISTED_REFS} more
        </Typography>
      )}
      {filter && (
        <Typography variant="caption" component="p">
          matching {filter}
        </Typography>
      )}
    </>
  );
}

/**
 * The security alerts of the organisation by status (active first), with
 * Raise alert and Resolve for those who may manage alerts.
 */
export function AlertsTab() {
  const [status, setStatus] = useState<AlertStatusFilter>('active');
  const [raising, setRaising] = useState(false);
  const [resolving, setResolving] = useState<SecurityAlert>();
  const { allowed: canManage } = usePermission({
    permission: securityAlertManagePermission,
  });
  const state = useSecurityData(
    api => api.listAlerts({ status, limit: LIST_LIMIT }),
    [status],
  );
  const counts = state.value?.counts;

  const columns: TableColumn<SecurityAlert>[] = [
    {
      title: 'Severity',
      field: 'severity',
      render: a => <SeverityChip severity={a.severity} />,
    },
    {
      title: 'Alert',
      field: 'title',
      render: a => (
        <>
          <Typography variant="body2">
            <strong>{a.title}</strong>
          </Typography>
          <OverflowText text={a.description} />
        </>
      ),
    },
    {
      title: 'Precautions',
      field: 'precautions',
      render: a => <OverflowText text={a.precautions} lines={3} />,
    },
    { title: 'Affects', sorting: false, render: a => <Scope alert={a} /> },
    {
      title: 'Status',
      field: 'status',
      render: a => <Chip size="small" label={humanize(a.status)} />,
    },
    {
      title: 'Raised',
      field: 'raisedAt',
      render: a => (
        <Typography variant="body2">
          {formatDate(a.raisedAt)} by <RaisedBy alert={a} />
        </Typography>
      ),
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: a =>
        a.expiresAt
          ? `${formatDate(a.expiresAt)} (${formatRelative(a.expiresAt)})`
          : 'When resolved',
    },
    {
      title: 'Actions',
      sorting: false,
      render: a =>
        a.status === 'resolved' ? (
          <OverflowText text={a.resolution ?? ''} />
        ) : (
          canManage && (
            <Button
              size="small"
              color="primary"
              aria-label={`Resolve ${a.title}`}
              onClick={() => setResolving(a)}
            >
              Resolve
            </Button>
          )
        ),
    },
  ];

  return (
    <>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="flex-start"
      >
        <Box role="group" aria-label="Status" mb={1}>
          {FILTERS.map(filter => {
            const count = countOf(counts, filter.status);
            return (
              <ToggleChip
                key={filter.status}
                label={
                  count === undefined
                    ? filter.label
                    : `${filter.label} (${count})`
                }
                on={filter.status === status}
                onClick={() => setStatus(filter.status)}
              />
            );
          })}
        </Box>
        {canManage && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setRaising(true)}
          >
            Raise alert
          </Button>
        )}
      </Box>
      <Box mt={1}>
        <AsyncContent state={state} action="view security alerts">
          {page => (
            <>
              <Table<SecurityAlert>
                title="Security alerts"
                columns={columns}
                data={page.items}
                options={{
                  search: false,
                  paging: page.items.length > 20,
                  pageSize: 20,
                  padding: 'dense',
                }}
                emptyContent={
                  <Box p={2}>
                    <Typography variant="body2">
                      {status === 'all'
                        ? 'No alert has been raised.'
                        : `No ${status} alert.`}
                    </Typography>
                  </Box>
                }
              />
              {page.totalCount > page.items.length && (
                <Typography variant="caption">
                  Showing the newest {page.items.length} of {page.totalCount}{' '}
                  alerts.
                </Typography>
              )}
            </>
          )}
        </AsyncContent>
      </Box>
      <RaiseAlertDialog open={raising} onClose={() => setRaising(false)} />
      {resolving && (
        <ResolveAlertDialog
          open
          alert={resolving}
          onClose={() => setResolving(undefined)}
        />
      )}
    </>
  );
}
