import { useState } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  Incident,
  INCIDENT_STATUSES,
  IncidentStatus,
  nextIncidentStatuses,
  securityIncidentUpdatePermission,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { EditIncidentDialog } from '../dialogs/EditIncidentDialog';
import { PostIncidentReviewDialog } from '../dialogs/PostIncidentReviewDialog';
import { RemediationActionsList } from '../incidents/RemediationActions';
import {
  transitionLabel,
  TransitionIncidentDialog,
} from '../dialogs/TransitionIncidentDialog';
import { formatDateTime, formatRelative, humanize } from '../lib/format';
import { CorrelatedEvents } from '../correlation/CorrelatedEvents';
import { AsyncContent } from './AsyncContent';
import { SeverityChip } from './chips';
import { OverflowText, WRAP_STYLE } from './OverflowText';

/** What the caller chose to do with an incident: edit, review, or a move. */
export type IncidentAction = {
  id: string;
  to?: IncidentStatus;
  review?: boolean;
};

/** Edit and the next moves, where the caller may update the incident. */
export function IncidentActions(props: {
  incident: Incident;
  onAction: (action: IncidentAction) => void;
}) {
  const { incident, onAction } = props;
  const { allowed } = usePermission({
    permission: securityIncidentUpdatePermission,
    resourceRef: incident.id,
  });
  if (!allowed) return null;
  return (
    <>
      <Button size="small" onClick={() => onAction({ id: incident.id })}>
        Edit
      </Button>
      <Button
        size="small"
        onClick={() => onAction({ id: incident.id, review: true })}
      >
        {incident.review ? 'Edit review' : 'Post-incident review'}
      </Button>
      {nextIncidentStatuses(incident.status).map(to => (
        <Button
          key={to}
          size="small"
          color="primary"
          variant="outlined"
          onClick={() => onAction({ id: incident.id, to })}
        >
          {transitionLabel(to)}
        </Button>
      ))}
    </>
  );
}

function IncidentTimelineList(props: { id: string }) {
  const state = useSecurityData(
    api => api.getIncidentTimeline({ id: props.id }),
    [props.id],
  );
  return (
    <AsyncContent state={state} action="view the timeline of this incident">
      {timeline => (
        <ul>
          {timeline.items.map(entry => (
            <li key={entry.id}>
              {formatDateTime(entry.at)} — {entry.actor}: {entry.action}
              {entry.toStatus ? ` to ${humanize(entry.toStatus)}` : ''}
              {entry.note ? (
                <span style={WRAP_STYLE}> ({entry.note})</span>
              ) : (
                ''
              )}
              {entry.action === 'correlated' && (
                <CorrelatedEvents changes={entry.changes} />
              )}
            </li>
          ))}
        </ul>
      )}
    </AsyncContent>
  );
}

/** An incident's description, references, phases, review and timeline. */
export function IncidentDetails(props: { incident: Incident }) {
  const { incident } = props;
  return (
    <Box p={2}>
      <Typography variant="body2" paragraph style={WRAP_STYLE}>
        {incident.description || 'No description.'}
      </Typography>
      <Typography variant="subtitle2">Affected entities</Typography>
      <EntityRefLinks entityRefs={incident.affectedEntities} />
      {incident.failedControls.length > 0 && (
        <>
          <Typography variant="subtitle2">Failed controls</Typography>
          <EntityRefLinks entityRefs={incident.failedControls} />
        </>
      )}
      {incident.externalReferences.length > 0 && (
        <>
          <Typography variant="subtitle2">References</Typography>
          {incident.externalReferences.map(ref => (
            <div key={ref.url}>
              <Link to={ref.url} title={ref.url}>
                <OverflowText text={ref.label ?? ref.type} lines={1} />
              </Link>
            </div>
          ))}
        </>
      )}
      <Typography variant="subtitle2">Phases</Typography>
      <Typography variant="body2">
        {INCIDENT_STATUSES.filter(s => incident.phases[s])
          .map(s => `${humanize(s)}: ${formatDateTime(incident.phases[s])}`)
          .join(' · ')}
      </Typography>
      {incident.review && (
        <>
          <Typography variant="subtitle2">Post-incident review</Typography>
          <Typography variant="body2" style={WRAP_STYLE}>
            Root cause: {incident.review.rootCause}
          </Typography>
          <Typography variant="body2" style={WRAP_STYLE}>
            Lessons: {incident.review.lessons}
          </Typography>
          <Typography variant="body2">Remediation actions:</Typography>
          <RemediationActionsList
            actions={incident.review.remediationActions}
          />
        </>
      )}
      <Typography variant="subtitle2">Timeline</Typography>
      <IncidentTimelineList id={incident.id} />
    </Box>
  );
}

/**
 * The dialog of an action chosen in {@link IncidentActions}, for the latest
 * version of the incident (pass it again after every reload).
 */
export function IncidentActionDialog(props: {
  incident: Incident;
  action: IncidentAction;
  onClose: () => void;
}) {
  const { incident, action, onClose } = props;
  if (action.to) {
    return (
      <TransitionIncidentDialog
        open
        onClose={onClose}
        incident={incident}
        to={action.to}
      />
    );
  }
  if (action.review) {
    return (
      <PostIncidentReviewDialog open onClose={onClose} incident={incident} />
    );
  }
  return <EditIncidentDialog open onClose={onClose} incident={incident} />;
}

/**
 * Incidents the caller may read, with their details on demand and a button
 * to move each one to its next phase where the caller may update it.
 */
export function IncidentsTable(props: {
  incidents: Incident[];
  title?: string;
  showAffected?: boolean;
  emptyText?: string;
}) {
  const [action, setAction] = useState<IncidentAction>();
  // The latest version of the incident acted on, after every reload.
  const acted = action && props.incidents.find(i => i.id === action.id);
  const columns: TableColumn<Incident>[] = [
    {
      title: 'Title',
      field: 'title',
      render: incident => <OverflowText text={incident.title} />,
    },
    {
      title: 'Severity',
      field: 'severity',
      render: incident => <SeverityChip severity={incident.severity} />,
    },
    {
      title: 'Status',
      field: 'status',
      render: incident => humanize(incident.status),
    },
    ...(props.showAffected
      ? [
          {
            title: 'Affected',
            render: (incident: Incident) => (
              <>
                {incident.affectedEntities.map(ref => (
                  <div key={ref}>
                    <EntityRefLink entityRef={ref} />
                  </div>
                ))}
              </>
            ),
          },
        ]
      : []),
    {
      title: 'Reported',
      field: 'createdAt',
      render: incident =>
        formatRelative(incident.phases.reported ?? incident.createdAt),
    },
    {
      title: 'Actions',
      sorting: false,
      render: incident => (
        <IncidentActions incident={incident} onAction={setAction} />
      ),
    },
  ];

  return (
    <>
      <Table<Incident>
        title={props.title}
        columns={columns}
        data={props.incidents}
        options={{
          search: false,
          paging: props.incidents.length > 10,
          padding: 'dense',
          toolbar: Boolean(props.title),
        }}
        detailPanel={({ rowData }) => <IncidentDetails incident={rowData} />}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              {props.emptyText ?? 'No incidents.'}
            </Typography>
          </Box>
        }
      />
      {acted && action && (
        <IncidentActionDialog
          incident={acted}
          action={action}
          onClose={() => setAction(undefined)}
        />
      )}
    </>
  );
}
