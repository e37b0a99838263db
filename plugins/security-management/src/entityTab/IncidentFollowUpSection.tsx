import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AsyncContent } from '../components/AsyncContent';
import { WRAP_STYLE } from '../components/OverflowText';
import { RemediationActionsTable } from '../incidents/RemediationActions';
import { useSecurityData } from '../lib/data';

/**
 * What post-incident reviews left for this entity: the controls that need
 * a retest (with the incidents behind them, where the caller may read
 * them) and the remediation actions of the incidents that affect it (only
 * of those the caller may read).
 */
export function IncidentFollowUpSection(props: { entityRef: string }) {
  const { entityRef } = props;
  const retests = useSecurityData(
    api => api.listRequiredRetests({ entityRef }),
    [entityRef],
  );
  const actions = useSecurityData(
    api => api.listRemediationActions({ entityRef, limit: 100 }),
    [entityRef],
  );
  return (
    <InfoCard title="Incident follow-up">
      <Typography variant="subtitle2">Retests required</Typography>
      <AsyncContent state={retests} action="view the required retests">
        {({ items }) =>
          items.length === 0 ? (
            <Typography variant="body2">
              No control of this entity needs a retest after an incident.
            </Typography>
          ) : (
            <ul>
              {items.map(retest => (
                <li key={retest.controlRef} style={WRAP_STYLE}>
                  <EntityRefLink entityRef={retest.controlRef} /> — retest now,
                  a pass after the incident closed clears it
                  {retest.incidents.length > 0 &&
                    ` (after: ${retest.incidents
                      .map(incident => incident.title)
                      .join(', ')})`}
                </li>
              ))}
            </ul>
          )
        }
      </AsyncContent>
      <Box mt={2}>
        <AsyncContent state={actions} action="view remediation actions">
          {page => (
            <RemediationActionsTable
              title="Remediation actions"
              actions={page.items}
              editable
              emptyText="No remediation action of an incident that you may see affects this entity."
            />
          )}
        </AsyncContent>
      </Box>
    </InfoCard>
  );
}
