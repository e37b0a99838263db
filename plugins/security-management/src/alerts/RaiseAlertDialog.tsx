import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import {
  ALERT_SEVERITIES,
  AlertFilter,
  AlertInput,
  alertInputSchema,
  AlertSeverity,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { Field, SelectField } from '../dialogs/fields';
import { DialogProps, FormDialog } from '../dialogs/FormDialog';
import { useForm } from '../dialogs/useForm';
import { humanize } from '../lib/format';
import { endOfDay, splitList } from '../lib/validation';

/** The catalog fields the form's filter sets, by form field. */
const FILTER_FIELDS = {
  kind: 'kind',
  type: 'spec.type',
  lifecycle: 'spec.lifecycle',
  owner: 'relations.ownedBy',
} as const;

/** An entity ref as typed: the kind defaults to component, like the catalog's. */
function entityRefOf(value: string): string {
  return normalizeEntityRef(value, { defaultKind: 'component' }) ?? value;
}

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
      entityRefs: '',
      kind: '',
      type: '',
      lifecycle: '',
      owner: '',
      expiresAt: '',
    },
    props.open,
  );

  const owner = values.owner.trim();
  const ownerRef = owner
    ? normalizeEntityRef(owner, { defaultKind: 'group' })
    : undefined;

  const request = (): AlertInput => {
    const filter: AlertFilter = {};
    for (const [field, key] of Object.entries(FILTER_FIELDS)) {
      const value =
        field === 'owner'
          ? ownerRef ?? owner
          : values[field as keyof typeof FILTER_FIELDS].trim();
      if (value) filter[key] = value;
    }
    const refs = splitList(values.entityRefs).map(entityRefOf);
    return {
      title: values.title.trim(),
      severity: values.severity as AlertSeverity,
      description: values.description.trim(),
      precautions: values.precautions.trim(),
      entityRefs: refs.length ? refs : undefined,
      filter: Object.keys(filter).length ? filter : undefined,
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
        owner:
          owner && !ownerRef
            ? 'Enter a group ref such as group:default/payments'
            : undefined,
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
      <Field
        id="alert-entities"
        label="Affected entities"
        helperText="Entity refs, separated by commas (the kind defaults to component)"
        placeholder="component:default/payments-api"
        value={values.entityRefs}
        error={errors.entityRefs}
        onChange={set('entityRefs')}
      />
      <Typography variant="body2" color="textSecondary">
        and/or every catalog entity matching all of:
      </Typography>
      <Field
        id="alert-kind"
        label="Kind"
        placeholder="component"
        inputProps={{ maxLength: 200 }}
        value={values.kind}
        error={errors.kind}
        onChange={set('kind')}
      />
      <Field
        id="alert-type"
        label="Type"
        placeholder="service"
        inputProps={{ maxLength: 200 }}
        value={values.type}
        onChange={set('type')}
      />
      <Field
        id="alert-lifecycle"
        label="Lifecycle"
        placeholder="production"
        inputProps={{ maxLength: 200 }}
        value={values.lifecycle}
        onChange={set('lifecycle')}
      />
      <Field
        id="alert-owner"
        label="Owner"
        placeholder="group:default/payments"
        value={values.owner}
        error={errors.owner}
        onChange={set('owner')}
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
