import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  CONTROL_STATUSES,
  ControlStatusCounts,
} from '@open-itsm/plugin-security-management-common';
import { CONTROL_STATUS_TONE } from '../components/chips';

const useStyles = makeStyles((theme: Theme) => ({
  track: {
    display: 'flex',
    height: 10,
    minWidth: 120,
    borderRadius: 2,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
  },
  good: { backgroundColor: theme.palette.success.main },
  bad: { backgroundColor: theme.palette.error.main },
  warn: { backgroundColor: theme.palette.warning.main },
  info: { backgroundColor: theme.palette.info.main },
  neutral: { backgroundColor: theme.palette.grey[500] },
}));

/** Status counts in words: "3 passing · 1 failing", or "Applies nowhere". */
export function describeCounts(counts: ControlStatusCounts): string {
  return (
    CONTROL_STATUSES.filter(status => counts[status] > 0)
      .map(status => `${counts[status]} ${status}`)
      .join(' · ') || 'Applies nowhere'
  );
}

/**
 * The statuses of the entities a statement's controls apply to, as one
 * stacked bar with the counts in words beneath.
 */
export function CoverageBar(props: { counts: ControlStatusCounts }) {
  const classes = useStyles();
  const { counts } = props;
  const total = CONTROL_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const words = describeCounts(counts);
  return (
    <Box>
      <div className={classes.track} role="img" aria-label={words}>
        {CONTROL_STATUSES.filter(status => counts[status] > 0).map(status => (
          <div
            key={status}
            className={classes[CONTROL_STATUS_TONE[status]]}
            style={{ width: `${(100 * counts[status]) / total}%` }}
          />
        ))}
      </div>
      <Typography variant="caption" color="textSecondary">
        {words}
      </Typography>
    </Box>
  );
}
