import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  Incident,
  incidentTransitionInputSchema,
  IncidentStatus,
  IncidentTransitionInput,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { useRefreshSecurityData } from '../lib/data';
import { humanize } from '../lib/format';
import { Field } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { useForm } from './useForm';

/** The label of the button that moves an incident to a status. */
export function transitionLabel(to: IncidentStatus): string {
  return to === 'reported' ? 'Reopen' : `Move to ${humanize(to)}`;
}

/**
 * Moves an incident to its next phase (or reopens it) with a note for the
 * timeline: asked on every move, required to reopen. Sends the version the
 * table showed; a move made meanwhile is a 409 offered for reloading.
 */
export function TransitionIncidentDialog(
  props: DialogProps & { incident: Incident; to: IncidentStatus },
) {
  const { incident, to } = props;
  const api = useApi(securityManagementApiRef);
  const refresh = useRefreshSecurityData();
  const { values, errors, set, check } = useForm({ note: '' }, props.open);
  const reopening = to === 'reported';

  const request = (): IncidentTransitionInput => ({
    to,
    version: incident.version,
    note: values.note.trim() || undefined,
  });

  const validate = () =>
    check({
      schema: incidentTransitionInputSchema,
      request: request(),
      prompts: { note: 'Say why the incident is reopened' },
    });

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title={`${transitionLabel(to)}: ${incident.title}`}
      submitLabel={transitionLabel(to)}
      successMessage={
        reopening ? 'Incident reopened' : `Incident moved to ${humanize(to)}`
      }
      validate={validate}
      submit={() => api.transitionIncident({ id: incident.id, ...request() })}
      onReload={() => {
        refresh();
        props.onClose();
      }}
    >
      <Typography variant="body2">
        From {humanize(incident.status)} to {humanize(to)}.
      </Typography>
      <Field
        id="incident-transition-note"
        label="Note"
        required={reopening}
        multiline
        minRows={3}
        helperText={
          reopening
            ? 'Why it is reopened; shown on the timeline'
            : 'What was done, found or decided; shown on the timeline'
        }
        value={values.note}
        error={errors.note}
        onChange={set('note')}
      />
    </FormDialog>
  );
}
