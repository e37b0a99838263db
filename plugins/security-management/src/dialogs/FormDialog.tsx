import { FormEvent, ReactNode, useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { isConflict, serverMessage } from '../lib/errors';
import { useRefreshSecurityData } from '../lib/data';

/** The props every dialog of the plugin takes. */
export interface DialogProps {
  open: boolean;
  onClose: () => void;
}

/**
 * A dialog around a form: nothing is sent until `validate` passes; the
 * server's message is shown when it refuses; a success closes the dialog
 * and reloads the data of the surrounding views.
 */
export function FormDialog(
  props: DialogProps & {
    title: string;
    submitLabel: string;
    successMessage: string;
    /** Shows field errors and returns false when the form is invalid. */
    validate: () => boolean;
    submit: () => Promise<unknown>;
    /**
     * Offered when the server refuses a stale version (409): says the record
     * changed meanwhile and reloads it with a Reload button.
     */
    onReload?: () => void;
    children: ReactNode;
  },
) {
  const { open, onClose, validate, submit } = props;
  const alertApi = useApi(alertApiRef);
  const refresh = useRefreshSecurityData();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);

  useEffect(() => {
    if (open) {
      setError(undefined);
      setConflict(false);
    }
  }, [open]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setConflict(false);
    if (!validate()) return;
    setSubmitting(true);
    try {
      await submit();
      setSubmitting(false);
      onClose();
      alertApi.post({
        message: props.successMessage,
        severity: 'success',
        display: 'transient',
      });
      refresh();
    } catch (e) {
      setSubmitting(false);
      setError(serverMessage(e));
      setConflict(isConflict(e) && Boolean(props.onReload));
    }
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={onSubmit} noValidate>
        <DialogTitle>{props.title}</DialogTitle>
        <DialogContent>
          {error && !conflict && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          {error && conflict && (
            <Alert
              severity="warning"
              role="alert"
              action={
                <Button
                  color="inherit"
                  size="small"
                  onClick={() => {
                    setError(undefined);
                    setConflict(false);
                    props.onReload?.();
                  }}
                >
                  Reload
                </Button>
              }
            >
              Changed by someone else meanwhile — reload to see their changes,
              then apply yours again. ({error})
            </Alert>
          )}
          {props.children}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            {props.submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
