import { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { isForbidden } from '../lib/errors';

/** The state of a load, as `useSecurityData` returns it. */
export interface LoadState<T> {
  loading: boolean;
  error?: Error;
  value?: T;
  retry: () => void;
}

/**
 * Renders a load: a progress bar, a "not permitted" notice on 403, an error
 * with a Retry button, or the children with the loaded value.
 */
export function AsyncContent<T>(props: {
  state: LoadState<T>;
  /** What the view does, for messages: "view the security posture". */
  action: string;
  children: (value: T) => ReactNode;
}) {
  const { state, action, children } = props;
  if (state.loading && state.value === undefined) {
    return <Progress />;
  }
  if (state.error) {
    if (isForbidden(state.error)) {
      return (
        <Alert severity="info">You do not have permission to {action}.</Alert>
      );
    }
    return (
      <Box>
        <ResponseErrorPanel error={state.error} title={`Could not ${action}`} />
        <Box mt={1}>
          <Button variant="outlined" color="primary" onClick={state.retry}>
            Retry
          </Button>
        </Box>
      </Box>
    );
  }
  if (state.value === undefined) {
    return <Progress />;
  }
  return <>{children(state.value)}</>;
}
