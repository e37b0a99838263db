import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { formatDate, formatRelative, humanize } from '../lib/format';

/**
 * The active campaigns covering an entity, on its Security tab: for each,
 * the entity's items (controls that apply, advisories that affect it) and
 * whether each is done.
 */
export function EntityCampaignsSection(props: { entityRef: string }) {
  const { entityRef } = props;
  const state = useSecurityData(
    api => api.listEntityCampaigns({ entityRef }),
    [entityRef],
  );
  return (
    <InfoCard title="Campaigns">
      <AsyncContent state={state} action="view this entity's campaigns">
        {({ items: campaigns }) =>
          campaigns.length === 0 ? (
            <Typography variant="body2">
              This entity is in no active campaign.
            </Typography>
          ) : (
            <>
              {campaigns.map(campaign => {
                const done = campaign.items.filter(i => i.done).length;
                return (
                  <Box key={campaign.id} mb={2}>
                    <Typography variant="subtitle1">
                      <strong>{campaign.name}</strong>
                    </Typography>
                    <Typography variant="body2" color="textSecondary">
                      Due {formatDate(campaign.deadline)} (
                      {formatRelative(campaign.deadline)}) ·{' '}
                      {campaign.items.length === 0
                        ? 'nothing to do here'
                        : `${done} of ${campaign.items.length} done`}
                    </Typography>
                    <Typography variant="body2">{campaign.goal}</Typography>
                    <List dense aria-label={`Items of ${campaign.name}`}>
                      {campaign.items.map(item => (
                        <ListItem key={`${item.kind}:${item.ref}`}>
                          <ListItemIcon>
                            {item.done ? (
                              <CheckCircleIcon
                                color="primary"
                                titleAccess="Done"
                              />
                            ) : (
                              <RadioButtonUncheckedIcon titleAccess="To do" />
                            )}
                          </ListItemIcon>
                          <ListItemText
                            primary={item.title}
                            secondary={
                              item.kind === 'control'
                                ? 'Control'
                                : `Advisory ${item.ref}`
                            }
                          />
                          <Chip size="small" label={humanize(item.status)} />
                        </ListItem>
                      ))}
                    </List>
                  </Box>
                );
              })}
            </>
          )
        }
      </AsyncContent>
    </InfoCard>
  );
}
