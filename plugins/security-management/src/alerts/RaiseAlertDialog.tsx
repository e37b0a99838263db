import { useApi } from '@backstage/core-plugin-api';
import { DateTime } from 'luxon';
import {
  ALERT_SEVERITIES,
  AlertInput,
  alertInputSchema,
  AlertSeverity,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { Field, SelectField } from '../dialogs/fields';
import { DialogProps, FormDialog } from '../dialogs/FormDialog';
import { EMPTY_SCOPE, ScopeFields, scopeOf } from '../dialogs/ScopeFields';
import { useForm } from '../dialogs/useForm';
import { humanize } from '../lib/format';
import { endOfDay } from '../lib/validation';

/**
 * Raises a security alert for the entities named and/or those matching a
 * filter of kind, type, lifecycle and owner. The request is checked with
 * the contract's schema before it is sent; the server then checks that the
 * entities exist and that the filter matches some.
 */
export function RaiseAlertDialog(props: DialogProps) {
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    {
      title: '',
      severity: '',
      description: '',
      precautions: '',
      ...EMPTY_SCOPE,
      expiresAt: '',
    },
    props.open,
  );

  const scope = scopeOf(values);

  const request = (): AlertInput => {
    return {
      title: values.title.trim(),
      severity: values.severity as AlertSeverity,
      description: values.description.trim(),
      precautions: values.precautions.trim(),
      entityRefs: scope.entityRefs,
      filter: scope.filter,
      expiresAt: values.expiresAt
        ? endOfDay(values.expiresAt).toUTC().toISO()!
        : undefined,
    };
  };

  const validate = () => {
    const checked = request();
    return check({
      schema: alertInputSchema,
      request: checked,
      prompts: {
        title: 'Give the alert a title',
        severity: 'Choose the severity',
        description: 'Say what is happening or expected',
        precautions: 'Say what the staff of these services should do',
        entityRefs: 'Name the affected entities, or fill in the filter below',
      },
      // A filter's problems are its values' length: shown on its first field.
      fieldOf: { filter: 'kind' },
      extra: {
        // The schema says so too, but only once every other field is valid.
        entityRefs:
          !checked.entityRefs && !checked.filter
            ? 'Name the affected entities, or fill in the filter below'
            : undefined,
        owner: scope.ownerProblem,
        expiresAt:
          values.expiresAt && endOfDay(values.expiresAt) <= DateTime.now()
            ? 'The expiry must be in the future'
            : undefined,
      },
    });
  };

  const submit = () => api.raiseAlert(request());

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Raise a security alert"
      submitLabel="Raise alert"
      successMessage="Alert raised"
      validate={validate}
      submit={submit}
    >
      <Field
        id="alert-title"
        label="Title"
        required
        inputProps={{ maxLength: 200 }}
        value={values.title}
        error={errors.title}
        onChange={set('title')}
      />
      <SelectField
        id="alert-severity"
        label="Severity"
        required
        value={values.severity}
        error={errors.severity}
        onChange={set('severity')}
        options={ALERT_SEVERITIES.map(s => ({ value: s, label: humanize(s) }))}
      />
      <Field
        id="alert-description"
        label="What is happening"
        required
        multiline
        minRows={2}
        value={values.description}
        error={errors.description}
        onChange={set('description')}
      />
      <Field
        id="alert-precautions"
        label="Precautions"
        required
        multiline
        minRows={2}
        helperText="What the staff of the affected services should do"
        value={values.precautions}
        error={errors.precautions}
        onChange={set('precautions')}
      />
      <ScopeFields
        idPrefix="alert"
        entitiesLabel="Affected entities"
        values={values}
        errors={errors}
        set={set}
      />
      <Field
        id="alert-expires"
        label="Expires"
        type="date"
        helperText="Optional: without an expiry the alert stays until resolved"
        value={values.expiresAt}
        error={errors.expiresAt}
        onChange={set('expiresAt')}
      />
    </FormDialog>
  );
}
