import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  alertResolutionInputSchema,
  SecurityAlert,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { Field } from '../dialogs/fields';
import { DialogProps, FormDialog } from '../dialogs/FormDialog';
import { useForm } from '../dialogs/useForm';

/** Resolves an alert with a note of what was done; its banners go away. */
export function ResolveAlertDialog(
  props: DialogProps & { alert: SecurityAlert },
) {
  const { alert } = props;
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    { resolution: '' },
    props.open,
  );

  const request = () => ({ resolution: values.resolution.trim() });

  const validate = () =>
    check({
      schema: alertResolutionInputSchema,
      request: request(),
      prompts: {
        resolution: 'Say what was done, or why the alert no longer applies',
      },
    });

  const submit = () => api.resolveAlert({ id: alert.id, ...request() });

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Resolve alert"
      submitLabel="Resolve"
      successMessage="Alert resolved"
      validate={validate}
      submit={submit}
    >
      <Typography variant="body2" gutterBottom>
        {alert.title}: its banner leaves the pages of{' '}
        {alert.affectedEntityCount === 1
          ? 'the affected entity'
          : `the ${alert.affectedEntityCount} affected entities`}
        .
      </Typography>
      <Field
        id="alert-resolution"
        label="Resolution"
        required
        multiline
        minRows={2}
        value={values.resolution}
        error={errors.resolution}
        onChange={set('resolution')}
      />
    </FormDialog>
  );
}
