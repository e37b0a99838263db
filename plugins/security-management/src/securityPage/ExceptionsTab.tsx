import { useMemo } from 'react';
import { DateTime } from 'luxon';
import Grid from '@material-ui/core/Grid';
import { useSecurityData } from '../lib/data';
import { AsyncContent } from '../components/AsyncContent';
import { ExceptionsTable } from '../components/ExceptionsTable';

const EXPIRING_WITHIN_DAYS = 30;

/** Exceptions waiting for a decision, and approved ones expiring soon. */
export function ExceptionsTab() {
  const expiresBefore = useMemo(
    () => DateTime.now().plus({ days: EXPIRING_WITHIN_DAYS }).toUTC().toISO()!,
    [],
  );
  const pending = useSecurityData(
    api => api.listExceptions({ status: ['requested'] }),
    [],
  );
  const expiring = useSecurityData(
    api => api.listExceptions({ status: ['approved'], expiresBefore }),
    [expiresBefore],
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent state={pending} action="view exceptions">
          {page => (
            <ExceptionsTable
              title="Pending approval"
              exceptions={page.items}
              showEntity
              emptyText="No exception is waiting for a decision."
            />
          )}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <AsyncContent state={expiring} action="view exceptions">
          {page => (
            <ExceptionsTable
              title={`Expiring within ${EXPIRING_WITHIN_DAYS} days`}
              exceptions={page.items}
              showEntity
              emptyText="No approved exception expires soon."
            />
          )}
        </AsyncContent>
      </Grid>
    </Grid>
  );
}
