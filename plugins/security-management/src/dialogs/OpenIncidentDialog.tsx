import { useApi } from '@backstage/core-plugin-api';
import {
  IncidentInput,
  incidentInputSchema,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { Field } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { INCIDENT_PROMPTS, IncidentFields, incidentOf } from './IncidentFields';
import { useForm } from './useForm';

/** Opens a security incident. */
export function OpenIncidentDialog(
  props: DialogProps & {
    /** Prefills the affected entities. */
    entityRef?: string;
  },
) {
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    {
      title: '',
      severity: '',
      description: '',
      affectedEntities: props.entityRef ?? '',
      failedControls: '',
      ticketUrl: '',
    },
    props.open,
  );

  const request = (): IncidentInput => ({
    ...incidentOf(values),
    description: values.description.trim() || undefined,
    externalReferences: values.ticketUrl.trim()
      ? [{ type: 'ticket', url: values.ticketUrl.trim() }]
      : undefined,
  });

  const validate = () =>
    check({
      schema: incidentInputSchema,
      request: request(),
      prompts: INCIDENT_PROMPTS,
      fieldOf: { externalReferences: 'ticketUrl' },
    });

  const submit = () => api.createIncident(request());

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Open a security incident"
      submitLabel="Open incident"
      successMessage="Incident opened"
      validate={validate}
      submit={submit}
    >
      <IncidentFields
        idPrefix="incident"
        values={values}
        errors={errors}
        set={set}
      />
      <Field
        id="incident-ticket"
        label="Ticket URL"
        value={values.ticketUrl}
        error={errors.ticketUrl}
        onChange={set('ticketUrl')}
      />
    </FormDialog>
  );
}
