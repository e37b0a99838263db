import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import {
  RollupDimension,
  TrendScope,
} from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { humanize } from '../lib/format';
import { TrendPanel } from './TrendPanel';

const SCOPES: TrendScope[] = ['organisation', 'owner', 'system', 'domain'];

/** The trend of one group, chosen among the roll-up's groups. */
function GroupTrend(props: { by: RollupDimension }) {
  const { by } = props;
  const [chosen, setChosen] = useState<string>();
  const rollup = useSecurityData(api => api.getPostureRollup({ by }), [by]);
  return (
    <AsyncContent state={rollup} action={`list the groups by ${by}`}>
      {value => {
        const keys = value.items.flatMap(item => (item.key ? [item.key] : []));
        if (keys.length === 0) {
          return (
            <Box>
              No entity has {by === 'owner' ? 'an' : 'a'} {by}.
            </Box>
          );
        }
        const key = chosen && keys.includes(chosen) ? chosen : keys[0];
        return (
          <>
            <Box mb={2}>
              <FormControl variant="outlined" size="small">
                <InputLabel id={`trend-${by}-label`}>{humanize(by)}</InputLabel>
                <Select
                  labelId={`trend-${by}-label`}
                  label={humanize(by)}
                  value={key}
                  onChange={e => setChosen(e.target.value as string)}
                >
                  {keys.map(k => (
                    <MenuItem key={k} value={k}>
                      {k}
                    </MenuItem>
                  ))}
                </Select>
              </FormControl>
            </Box>
            <TrendPanel
              subject={key}
              deps={[by, key]}
              showEntity
              load={(api, days) =>
                Promise.all([
                  api.getGroupTrend({ by, key, days }),
                  api.getGroupChanges({ by, key, days }),
                ])
              }
            />
          </>
        );
      }}
    </AsyncContent>
  );
}

/**
 * The security page's trend: the organisation's score by day, or an
 * owner's, a system's or a domain's, with what changed.
 */
export function OrganisationTrendCard() {
  const [scope, setScope] = useState<TrendScope>('organisation');
  return (
    <InfoCard title="Posture trend">
      <Box mb={2}>
        <FormControl variant="outlined" size="small">
          <InputLabel id="trend-scope-label">Show</InputLabel>
          <Select
            labelId="trend-scope-label"
            label="Show"
            value={scope}
            onChange={e => setScope(e.target.value as TrendScope)}
          >
            {SCOPES.map(s => (
              <MenuItem key={s} value={s}>
                {s === 'organisation' ? 'The organisation' : `By ${s}`}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>
      {scope === 'organisation' ? (
        <TrendPanel
          subject="the organisation"
          deps={[]}
          showEntity
          load={(api, days) =>
            Promise.all([
              api.getGroupTrend({ days }),
              api.getGroupChanges({ days }),
            ])
          }
        />
      ) : (
        <GroupTrend key={scope} by={scope} />
      )}
    </InfoCard>
  );
}
