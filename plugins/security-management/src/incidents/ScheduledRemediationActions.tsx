import Box from '@material-ui/core/Box';
import { ScheduleQuery } from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { RemediationActionsTable } from './RemediationActions';

/**
 * The remediation actions still to be done by the end of the schedule's
 * range (overdue ones included), of the owner the schedule is filtered by,
 * for the testing schedule. Only actions of incidents the caller may read.
 */
export function ScheduledRemediationActions(props: { query: ScheduleQuery }) {
  const { owner, to } = props.query;
  const state = useSecurityData(
    api =>
      api.listRemediationActions({
        owner,
        dueBefore: to,
        active: true,
        limit: 500,
      }),
    [owner, to],
  );
  return (
    <Box mt={3}>
      <AsyncContent state={state} action="view remediation actions">
        {page => (
          <RemediationActionsTable
            title="Remediation actions due"
            actions={page.items}
            editable
            emptyText="No open remediation action is due in this range."
          />
        )}
      </AsyncContent>
    </Box>
  );
}
