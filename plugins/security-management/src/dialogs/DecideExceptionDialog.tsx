import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  exceptionDecisionInputSchema,
  SecurityException,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { formatDate } from '../lib/format';
import { Field } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { useForm } from './useForm';

/** Approves or rejects a requested exception; a rejection needs a reason. */
export function DecideExceptionDialog(
  props: DialogProps & {
    exception: SecurityException;
    decision: 'approve' | 'reject';
  },
) {
  const { exception, decision } = props;
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm({ note: '' }, props.open);

  const request = () => ({ note: values.note.trim() || undefined });

  const validate = () =>
    check({
      schema: exceptionDecisionInputSchema,
      request: request(),
      prompts: {},
      extra: {
        note:
          decision === 'reject' && !values.note.trim()
            ? 'Say why the exception is rejected'
            : undefined,
      },
    });

  const submit = () => {
    const options = { id: exception.id, ...request() };
    return decision === 'approve'
      ? api.approveException(options)
      : api.rejectException(options);
  };

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title={decision === 'approve' ? 'Approve exception' : 'Reject exception'}
      submitLabel={decision === 'approve' ? 'Approve' : 'Reject'}
      successMessage={
        decision === 'approve' ? 'Exception approved' : 'Exception rejected'
      }
      validate={validate}
      submit={submit}
    >
      <Typography variant="body2" gutterBottom>
        {exception.controlRef} on {exception.entityRef}, until{' '}
        {formatDate(exception.expiresAt)}: {exception.justification}
      </Typography>
      <Field
        id="exception-decision-note"
        label="Note"
        required={decision === 'reject'}
        multiline
        minRows={2}
        value={values.note}
        error={errors.note}
        onChange={set('note')}
      />
    </FormDialog>
  );
}
