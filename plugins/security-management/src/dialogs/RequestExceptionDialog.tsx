import { useApi } from '@backstage/core-plugin-api';
import { DateTime } from 'luxon';
import {
  ControlSummary,
  ExceptionInput,
  exceptionInputSchema,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { endOfDay } from '../lib/validation';
import { ControlField, Field } from './fields';
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

  const request = (): ExceptionInput => ({
    controlRef: values.controlRef,
    entityRef: props.entityRef,
    justification: values.justification.trim(),
    expiresAt: values.expiresAt
      ? endOfDay(values.expiresAt).toUTC().toISO()!
      : '',
  });

  const validate = () =>
    check({
      schema: exceptionInputSchema,
      request: request(),
      prompts: {
        controlRef: 'Choose the control',
        justification: 'Explain why the risk is acceptable',
        expiresAt: 'Choose when the exception expires',
      },
      extra: {
        expiresAt:
          values.expiresAt && endOfDay(values.expiresAt) <= DateTime.now()
            ? 'The expiry must be in the future'
            : undefined,
      },
    });

  const submit = () => api.requestException(request());

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
      <ControlField
        id="exception-control"
        controls={props.controls}
        value={values.controlRef}
        error={errors.controlRef}
        onChange={set('controlRef')}
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
