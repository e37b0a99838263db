import { useApi } from '@backstage/core-plugin-api';
import { DateTime } from 'luxon';
import { ControlSummary } from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { endOfDay } from '../lib/validation';
import { Field, SelectField } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { useForm } from './useForm';

/** Requests a risk acceptance for one control on one entity. */
export function RequestExceptionDialog(
  props: DialogProps & {
    entityRef: string;
    controls: ControlSummary[];
    controlRef?: string;
  },
) {
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    { controlRef: props.controlRef ?? '', justification: '', expiresAt: '' },
    props.open,
  );

  const validate = () => {
    let expiresAt: string | undefined;
    if (!values.expiresAt) expiresAt = 'Choose when the exception expires';
    else if (endOfDay(values.expiresAt) <= DateTime.now()) {
      expiresAt = 'The expiry must be in the future';
    }
    return check({
      controlRef: values.controlRef ? undefined : 'Choose the control',
      justification: values.justification.trim()
        ? undefined
        : 'Explain why the risk is acceptable',
      expiresAt,
    });
  };

  const submit = () =>
    api.requestException({
      controlRef: values.controlRef,
      entityRef: props.entityRef,
      justification: values.justification.trim(),
      expiresAt: endOfDay(values.expiresAt).toUTC().toISO()!,
    });

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Request an exception"
      submitLabel="Request exception"
      successMessage="Exception requested"
      validate={validate}
      submit={submit}
    >
      <SelectField
        id="exception-control"
        label="Control"
        required
        value={values.controlRef}
        error={errors.controlRef}
        onChange={set('controlRef')}
        options={props.controls.map(c => ({ value: c.ref, label: c.title }))}
      />
      <Field
        id="exception-justification"
        label="Justification"
        required
        multiline
        minRows={3}
        value={values.justification}
        error={errors.justification}
        onChange={set('justification')}
      />
      <Field
        id="exception-expires"
        label="Expires"
        type="date"
        required
        value={values.expiresAt}
        error={errors.expiresAt}
        onChange={set('expiresAt')}
      />
    </FormDialog>
  );
}
