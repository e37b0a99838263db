import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  securityExceptionDecidePermission,
  SecurityException,
} from '@open-itsm/plugin-security-management-common';
import { formatDate, formatDateTime, formatRelative } from '../lib/format';
import { DecideExceptionDialog } from '../dialogs/DecideExceptionDialog';
import { ExceptionStatusChip } from './chips';
import { OverflowText } from './OverflowText';

/** A person (linked to their catalog page) or, for a service, its name. */
function Principal(props: { value: string }) {
  if (props.value.startsWith('user:')) {
    return <EntityRefLink entityRef={props.value} defaultKind="user" />;
  }
  return <>{props.value}</>;
}

/** Who approved or rejected an exception, when, and why. */
function Decision(props: { exception: SecurityException }) {
  const { decidedBy, decidedAt, decisionNote } = props.exception;
  if (!decidedBy && !decidedAt) return <>—</>;
  return (
    <>
      {decidedBy && <Principal value={decidedBy} />}
      {decidedAt && (
        <Typography
          variant="body2"
          color="textSecondary"
          title={formatDateTime(decidedAt)}
        >
          {formatDate(decidedAt)} ({formatRelative(decidedAt)})
        </Typography>
      )}
      {decisionNote && <OverflowText text={decisionNote} />}
    </>
  );
}

/**
 * Exceptions (risk acceptances), with Approve and Reject on the requested
 * ones when the caller may decide.
 */
export function ExceptionsTable(props: {
  exceptions: SecurityException[];
  title?: string;
  showEntity?: boolean;
  emptyText?: string;
}) {
  const { allowed: canDecide } = usePermission({
    permission: securityExceptionDecidePermission,
  });
  const [deciding, setDeciding] = useState<{
    exception: SecurityException;
    decision: 'approve' | 'reject';
  }>();

  const columns: TableColumn<SecurityException>[] = [
    {
      title: 'Control',
      field: 'controlRef',
      render: e => <EntityRefLink entityRef={e.controlRef} />,
    },
    ...(props.showEntity
      ? [
          {
            title: 'Entity',
            field: 'entityRef',
            render: (e: SecurityException) => (
              <EntityRefLink entityRef={e.entityRef} />
            ),
          },
        ]
      : []),
    {
      title: 'Status',
      field: 'status',
      render: e => <ExceptionStatusChip status={e.status} />,
    },
    {
      title: 'Justification',
      field: 'justification',
      render: e => <OverflowText text={e.justification} lines={3} />,
    },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: e => <Principal value={e.requestedBy} />,
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: e =>
        `${formatDate(e.expiresAt)} (${formatRelative(e.expiresAt)})`,
    },
    {
      title: 'Decided',
      field: 'decidedAt',
      render: e => <Decision exception={e} />,
    },
    {
      title: 'Actions',
      sorting: false,
      render: e =>
        canDecide && e.status === 'requested' ? (
          <>
            <Button
              size="small"
              color="primary"
              onClick={() => setDeciding({ exception: e, decision: 'approve' })}
            >
              Approve
            </Button>
            <Button
              size="small"
              onClick={() => setDeciding({ exception: e, decision: 'reject' })}
            >
              Reject
            </Button>
          </>
        ) : null,
    },
  ];

  return (
    <>
      <Table<SecurityException>
        title={props.title}
        columns={columns}
        data={props.exceptions}
        options={{
          search: false,
          paging: props.exceptions.length > 10,
          padding: 'dense',
          toolbar: Boolean(props.title),
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              {props.emptyText ?? 'No exceptions.'}
            </Typography>
          </Box>
        }
      />
      {deciding && (
        <DecideExceptionDialog
          open
          onClose={() => setDeciding(undefined)}
          exception={deciding.exception}
          decision={deciding.decision}
        />
      )}
    </>
  );
}
