import { useApi } from '@backstage/core-plugin-api';
import {
  INCIDENT_SEVERITIES,
  IncidentInput,
  incidentInputSchema,
  IncidentSeverity,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { humanize } from '../lib/format';
import { splitList } from '../lib/validation';
import { Field, SelectField } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
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
    title: values.title.trim(),
    severity: values.severity as IncidentSeverity,
    description: values.description.trim() || undefined,
    affectedEntities: splitList(values.affectedEntities),
    failedControls: splitList(values.failedControls),
    externalReferences: values.ticketUrl.trim()
      ? [{ type: 'ticket', url: values.ticketUrl.trim() }]
      : undefined,
  });

  const validate = () =>
    check({
      schema: incidentInputSchema,
      request: request(),
      prompts: {
        title: 'Enter a title',
        severity: 'Choose a severity',
        affectedEntities: 'Name at least one entity',
      },
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
      <Field
        id="incident-title"
        label="Title"
        required
        value={values.title}
        error={errors.title}
        onChange={set('title')}
      />
      <SelectField
        id="incident-severity"
        label="Severity"
        required
        value={values.severity}
        error={errors.severity}
        onChange={set('severity')}
        options={INCIDENT_SEVERITIES.map(s => ({
          value: s,
          label: humanize(s),
        }))}
      />
      <Field
        id="incident-description"
        label="Description"
        multiline
        minRows={3}
        value={values.description}
        onChange={set('description')}
      />
      <Field
        id="incident-affected"
        label="Affected entities"
        required
        helperText="Entity refs, separated by commas"
        value={values.affectedEntities}
        error={errors.affectedEntities}
        onChange={set('affectedEntities')}
      />
      <Field
        id="incident-failed-controls"
        label="Failed controls"
        helperText="SecurityControl refs, separated by commas"
        value={values.failedControls}
        error={errors.failedControls}
        onChange={set('failedControls')}
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
