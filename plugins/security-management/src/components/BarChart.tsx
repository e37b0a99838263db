import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { Tone } from './chips';

const useStyles = makeStyles((theme: Theme) => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    marginBottom: theme.spacing(1),
  },
  label: { width: 110, flexShrink: 0 },
  track: {
    flexGrow: 1,
    height: 18,
    backgroundColor: theme.palette.action.hover,
    borderRadius: 2,
  },
  bar: { height: '100%', borderRadius: 2 },
  value: { width: 48, textAlign: 'right', flexShrink: 0 },
  good: { backgroundColor: theme.palette.success.main },
  bad: { backgroundColor: theme.palette.error.main },
  warn: { backgroundColor: theme.palette.warning.main },
  info: { backgroundColor: theme.palette.info.main },
  neutral: { backgroundColor: theme.palette.grey[500] },
}));

/** One bar of a {@link BarChart}. */
export interface Bar {
  label: string;
  value: number;
  tone: Tone;
}

/** Horizontal bars scaled to the largest value; no chart library needed. */
export function BarChart(props: { bars: Bar[]; title: string }) {
  const classes = useStyles();
  const max = Math.max(1, ...props.bars.map(b => b.value));
  return (
    <Box role="list" aria-label={props.title}>
      {props.bars.map(bar => (
        <div
          key={bar.label}
          role="listitem"
          aria-label={`${bar.label}: ${bar.value}`}
          className={classes.row}
        >
          <Typography variant="body2" className={classes.label}>
            {bar.label}
          </Typography>
          <div className={classes.track}>
            <div
              className={`${classes.bar} ${classes[bar.tone]}`}
              style={{ width: `${(100 * bar.value) / max}%` }}
            />
          </div>
          <Typography variant="body2" className={classes.value}>
            {bar.value}
          </Typography>
        </div>
      ))}
    </Box>
  );
}
