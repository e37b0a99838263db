import { ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useSecurityData } from '../lib/data';
import { isForbidden, isNotFound } from '../lib/errors';
import { humanize } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { SeverityChip } from '../components/chips';
import {
  IncidentAction,
  IncidentActionDialog,
  IncidentActions,
  IncidentDetails,
} from '../components/IncidentsTable';
import { WRAP_STYLE } from '../components/OverflowText';

/** The query parameter that names an incident, as search results link it. */
export const INCIDENT_PARAM = 'incident';

function LinkedIncidentCard(props: { id: string; showAll: ReactNode }) {
  const { id, showAll } = props;
  const [action, setAction] = useState<IncidentAction>();
  const state = useSecurityData(api => api.getIncident({ id }), [id]);

  // The backend answers 404 both for a missing incident and for one the
  // caller may not read, so as not to reveal which; say neither here.
  if (state.error && (isNotFound(state.error) || isForbidden(state.error))) {
    return (
      <Alert severity="info" action={showAll}>
        This incident does not exist or you may not see it.
      </Alert>
    );
  }
  return (
    <AsyncContent state={state} action="view this incident">
      {incident => (
        <Box role="region" aria-label={incident.title}>
          <InfoCard
            title={incident.title}
            titleTypographyProps={{ style: WRAP_STYLE }}
            subheader={
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <SeverityChip severity={incident.severity} />
                {humanize(incident.status)}
              </Box>
            }
            action={showAll}
            actions={
              <IncidentActions incident={incident} onAction={setAction} />
            }
            noPadding
          >
            <IncidentDetails incident={incident} />
          </InfoCard>
          {action && (
            <IncidentActionDialog
              incident={incident}
              action={action}
              onClose={() => setAction(undefined)}
            />
          )}
        </Box>
      )}
    </AsyncContent>
  );
}

/**
 * The incident that `?incident=<id>` names (a search result links there),
 * with its details and actions, for the top of the register; nothing
 * without the parameter.
 */
export function LinkedIncident() {
  const [searchParams, setSearchParams] = useSearchParams();
  const id = searchParams.get(INCIDENT_PARAM);
  if (!id) return null;

  const showAll = (
    <Button
      color="primary"
      onClick={() => {
        const next = new URLSearchParams(searchParams);
        next.delete(INCIDENT_PARAM);
        setSearchParams(next);
      }}
    >
      Show all incidents
    </Button>
  );
  return (
    <Box mb={2}>
      <LinkedIncidentCard key={id} id={id} showAll={showAll} />
    </Box>
  );
}
