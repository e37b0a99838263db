import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  PostureChanges,
  PostureTrend,
  TrendDays,
} from '@open-itsm/plugin-security-management-common';
import { SecurityManagementApi } from '../api/SecurityManagementApi';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { ChangesList } from './ChangesList';
import { PeriodToggle } from './PeriodToggle';
import { TrendChart } from './TrendChart';

/** The latest point's figures and the score's change over the period. */
function Latest(props: { trend: PostureTrend }) {
  const { points } = props.trend;
  const scored = points.filter(p => p.score !== null);
  const last = points[points.length - 1];
  const delta =
    scored.length > 1
      ? scored[scored.length - 1].score! - scored[0].score!
      : undefined;
  const figures = [
    { label: 'Score', value: last.score === null ? '—' : `${last.score}` },
    { label: 'Grade', value: last.grade },
    { label: 'Failing', value: `${last.counts.failing}` },
    { label: 'Overdue', value: `${last.counts.overdue}` },
    ...(delta === undefined
      ? []
      : [
          {
            label: 'Change over the period',
            value: delta > 0 ? `+${delta}` : `${delta}`,
          },
        ]),
  ];
  return (
    <Grid container spacing={3}>
      {figures.map(figure => (
        <Grid item key={figure.label}>
          <Typography variant="h6">{figure.value}</Typography>
          <Typography variant="caption" color="textSecondary">
            {figure.label}
          </Typography>
        </Grid>
      ))}
    </Grid>
  );
}

/**
 * A trend over 30, 90 or 365 days with what changed in it, for an entity,
 * a group or the organisation: `load` reads both for the chosen period,
 * `deps` says when to read them again.
 */
export function TrendPanel(props: {
  subject: string;
  load: (
    api: SecurityManagementApi,
    days: TrendDays,
  ) => Promise<[PostureTrend, PostureChanges]>;
  deps: unknown[];
  showEntity?: boolean;
}) {
  const { subject, load, deps, showEntity } = props;
  const [days, setDays] = useState<TrendDays>(30);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useSecurityData(api => load(api, days), [days, ...deps]);
  return (
    <Box>
      <Box mb={2}>
        <PeriodToggle value={days} onChange={setDays} />
      </Box>
      <AsyncContent state={state} action="view the posture trend">
        {([trend, changes]) =>
          trend.points.length === 0 ? (
            <Typography variant="body2">
              No history for {subject} in the last {days} days yet. The posture
              is recorded every day; the first points appear after the first
              snapshot.
            </Typography>
          ) : (
            <>
              <Latest trend={trend} />
              <Box mt={2}>
                <TrendChart
                  points={trend.points}
                  from={trend.from}
                  to={trend.to}
                  title={`Posture score of ${subject} over the last ${days} days`}
                />
              </Box>
              <Box mt={3}>
                <Typography variant="subtitle2" gutterBottom>
                  What changed in the last {days} days
                </Typography>
                <ChangesList changes={changes} showEntity={showEntity} />
              </Box>
            </>
          )
        }
      </AsyncContent>
    </Box>
  );
}
