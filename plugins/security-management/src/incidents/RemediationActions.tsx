import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  isRemediationActionOverdue,
  REMEDIATION_ACTION_STATUSES,
  RemediationAction,
  RemediationActionListItem,
  RemediationActionStatus,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { ToneChip, Tone } from '../components/chips';
import { OverflowText, WRAP_STYLE } from '../components/OverflowText';
import { useRefreshSecurityData } from '../lib/data';
import { serverMessage } from '../lib/errors';
import { formatDate, formatRelative, humanize } from '../lib/format';

const STATUS_TONE: Record<RemediationActionStatus, Tone> = {
  open: 'warn',
  'in-progress': 'info',
  done: 'good',
  cancelled: 'neutral',
};

/** An action's status; "overdue" in red when past due and not done. */
export function RemediationStatusChip(props: { action: RemediationAction }) {
  const { action } = props;
  if (isRemediationActionOverdue(action, Date.now())) {
    return (
      <ToneChip tone="bad" label={`Overdue · ${humanize(action.status)}`} />
    );
  }
  return (
    <ToneChip
      tone={STATUS_TONE[action.status]}
      label={humanize(action.status)}
    />
  );
}

function describeDue(action: RemediationAction): string {
  if (!action.dueAt) return 'No due date';
  return `${formatDate(action.dueAt)} (${formatRelative(action.dueAt)})`;
}

/** The remediation actions of one incident's review, in its details. */
export function RemediationActionsList(props: {
  actions: RemediationAction[];
}) {
  if (props.actions.length === 0) {
    return <Typography variant="body2">No remediation action.</Typography>;
  }
  return (
    <ul>
      {props.actions.map(action => (
        <li key={action.id} style={WRAP_STYLE}>
          {action.title} —{' '}
          {action.owner ? (
            <EntityRefLink entityRef={action.owner} />
          ) : (
            'no owner'
          )}
          , due {describeDue(action)} <RemediationStatusChip action={action} />
        </li>
      ))}
    </ul>
  );
}

/**
 * A native select that changes an action's status; the server decides
 * (incident.update on its incident) and its refusal is shown.
 */
function StatusSelect(props: { action: RemediationActionListItem }) {
  const { action } = props;
  const api = useApi(securityManagementApiRef);
  const alertApi = useApi(alertApiRef);
  const refresh = useRefreshSecurityData();
  const [saving, setSaving] = useState(false);
  return (
    <select
      aria-label={`Status of ${action.title}`}
      value={action.status}
      disabled={saving}
      onChange={async event => {
        setSaving(true);
        try {
          await api.updateRemediationAction({
            id: action.id,
            status: event.target.value as RemediationActionStatus,
          });
          alertApi.post({
            message: 'Remediation action updated',
            severity: 'success',
            display: 'transient',
          });
          refresh();
        } catch (e) {
          alertApi.post({ message: serverMessage(e), severity: 'error' });
        } finally {
          setSaving(false);
        }
      }}
    >
      {REMEDIATION_ACTION_STATUSES.map(status => (
        <option key={status} value={status}>
          {humanize(status)}
        </option>
      ))}
    </select>
  );
}

/**
 * Remediation actions with their incident, owner, due date and status;
 * overdue ones first in red. `editable` offers a status select.
 */
export function RemediationActionsTable(props: {
  actions: RemediationActionListItem[];
  title?: string;
  emptyText: string;
  editable?: boolean;
}) {
  // No table for nothing: most entities have no action, and a table is
  // heavy to render.
  if (props.actions.length === 0) {
    return (
      <Box>
        {props.title && <Typography variant="h6">{props.title}</Typography>}
        <Typography variant="body2">{props.emptyText}</Typography>
      </Box>
    );
  }
  const columns: TableColumn<RemediationActionListItem>[] = [
    {
      title: 'Action',
      field: 'title',
      render: a => <OverflowText text={a.title} />,
    },
    {
      title: 'Incident',
      field: 'incidentTitle',
      render: a => <OverflowText text={a.incidentTitle} />,
    },
    {
      title: 'Owner',
      field: 'owner',
      render: a => (a.owner ? <EntityRefLink entityRef={a.owner} /> : '—'),
    },
    { title: 'Due', field: 'dueAt', render: a => describeDue(a) },
    {
      title: 'Status',
      field: 'status',
      render: a => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <RemediationStatusChip action={a} />
          {props.editable && <StatusSelect action={a} />}
        </Box>
      ),
    },
  ];
  return (
    <Table<RemediationActionListItem>
      title={props.title}
      columns={columns}
      data={props.actions}
      options={{
        search: false,
        paging: props.actions.length > 10,
        padding: 'dense',
        toolbar: Boolean(props.title),
        rowStyle: (a: RemediationActionListItem) =>
          isRemediationActionOverdue(a, Date.now())
            ? { backgroundColor: 'rgba(244, 67, 54, 0.08)' }
            : {},
      }}
    />
  );
}
