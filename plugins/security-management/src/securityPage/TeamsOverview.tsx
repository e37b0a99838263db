import { InfoCard, Progress, Table } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EntityPosture } from '@open-itsm/plugin-security-management-common';
import useAsync from 'react-use/esm/useAsync';
import { useSecurityData } from '../lib/data';
import { AsyncContent } from '../components/AsyncContent';
import { entityColumns } from './entityColumns';

const TEAM_LIMIT = 500;

/** The group refs the signed-in user belongs to, as the identity says. */
export function useOwnGroups() {
  const identityApi = useApi(identityApiRef);
  return useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    return ownershipEntityRefs
      .map(ref => ref.toLocaleLowerCase('en-US'))
      .filter(ref => ref.startsWith('group:'));
  }, [identityApi]);
}

function TeamPosture(props: { group: string }) {
  const { group } = props;
  const state = useSecurityData(
    api => api.listPosture({ owner: group, limit: TEAM_LIMIT }),
    [group],
  );
  return (
    <AsyncContent state={state} action="view your team's posture">
      {page => (
        <Table<EntityPosture>
          title={
            <>
              Owned by <EntityRefLink entityRef={group} />
            </>
          }
          columns={entityColumns}
          data={page.items}
          options={{
            search: false,
            paging: page.items.length > 20,
            pageSize: 20,
            padding: 'dense',
          }}
          emptyContent={
            <Box p={2}>
              <Typography variant="body2">
                No security control applies to what this team owns.
              </Typography>
            </Box>
          }
        />
      )}
    </AsyncContent>
  );
}

/**
 * The overview for someone who may not read the organisation-wide report:
 * the posture of what their own teams own, worst first.
 */
export function TeamsOverview() {
  const groups = useOwnGroups();
  if (groups.loading) return <Progress />;
  const teams = groups.value ?? [];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="body2" color="textSecondary">
          The posture of what your teams own. The organisation-wide report and
          roll-ups are for security managers; every team's posture is on its
          services' Security tab.
        </Typography>
      </Grid>
      {teams.length === 0 ? (
        <Grid item xs={12}>
          <InfoCard title="Your teams">
            <Typography variant="body2">
              You are not a member of any team in the catalog, so there is no
              posture to show here. Open a service's Security tab to see its
              posture.
            </Typography>
          </InfoCard>
        </Grid>
      ) : (
        teams.map(group => (
          <Grid item xs={12} key={group}>
            <TeamPosture group={group} />
          </Grid>
        ))
      )}
    </Grid>
  );
}
