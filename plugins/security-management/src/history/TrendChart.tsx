import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { TrendPoint } from '@open-itsm/plugin-security-management-common';

const WIDTH = 900;
const HEIGHT = 200;
const LEFT = 36;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 24;
const DAY_MS = 24 * 60 * 60 * 1000;

const useStyles = makeStyles((theme: Theme) => ({
  svg: { width: '100%', height: 'auto', display: 'block' },
  grid: { stroke: theme.palette.divider, strokeWidth: 1 },
  axis: { fill: theme.palette.text.secondary, fontSize: 11 },
  line: {
    fill: 'none',
    stroke: theme.palette.primary.main,
    strokeWidth: 2,
  },
  snapshot: { fill: theme.palette.primary.main },
  backfill: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.primary.main,
    strokeWidth: 1.5,
  },
}));

/** Where a day lies in [from, to], from 0 to 1. */
function position(day: string, from: string, to: string): number {
  const span = Date.parse(to) - Date.parse(from);
  return span <= 0 ? 1 : (Date.parse(day) - Date.parse(from)) / span;
}

/** How a point reads to a screen reader and in its tooltip. */
function describePoint(point: TrendPoint): string {
  const score = point.score === null ? 'no score' : `score ${point.score}`;
  const source = point.source === 'backfill' ? ' (from records)' : '';
  return `${point.day}: ${score}, ${point.counts.failing} failing, ${point.counts.overdue} overdue${source}`;
}

/**
 * The posture score (0–100) of each day of a period as a line in SVG: a
 * filled dot for a day's snapshot, a hollow one for a day computed later
 * from the records. Days without a score (no control applied) break the
 * line. No chart library: like BarChart, scaled by hand.
 */
export function TrendChart(props: {
  points: TrendPoint[];
  from: string;
  to: string;
  title: string;
}) {
  const classes = useStyles();
  const { points, from, to, title } = props;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (day: string) => LEFT + position(day, from, to) * plotWidth;
  const y = (score: number) => TOP + (1 - score / 100) * plotHeight;

  // Runs of consecutive days with a score, each one polyline.
  const runs: TrendPoint[][] = [];
  let previous: TrendPoint | undefined;
  for (const point of points) {
    if (point.score === null) {
      previous = undefined;
      continue;
    }
    const follows =
      previous && Date.parse(point.day) - Date.parse(previous.day) <= DAY_MS;
    if (follows) runs[runs.length - 1].push(point);
    else runs.push([point]);
    previous = point;
  }

  return (
    <Box>
      <svg
        className={classes.svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={title}
      >
        {[0, 50, 100].map(score => (
          <g key={score}>
            <line
              className={classes.grid}
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={y(score)}
              y2={y(score)}
            />
            <text
              className={classes.axis}
              x={LEFT - 6}
              y={y(score) + 4}
              textAnchor="end"
            >
              {score}
            </text>
          </g>
        ))}
        <text className={classes.axis} x={LEFT} y={HEIGHT - 6}>
          {from}
        </text>
        <text
          className={classes.axis}
          x={WIDTH - RIGHT}
          y={HEIGHT - 6}
          textAnchor="end"
        >
          {to}
        </text>
        {runs
          .filter(run => run.length > 1)
          .map(run => (
            <polyline
              key={run[0].day}
              className={classes.line}
              points={run.map(p => `${x(p.day)},${y(p.score!)}`).join(' ')}
            />
          ))}
        {points
          .filter(point => point.score !== null)
          .map(point => (
            <circle
              key={point.day}
              data-testid="trend-point"
              className={
                point.source === 'snapshot'
                  ? classes.snapshot
                  : classes.backfill
              }
              cx={x(point.day)}
              cy={y(point.score!)}
              r={3.5}
              aria-label={describePoint(point)}
            >
              <title>{describePoint(point)}</title>
            </circle>
          ))}
      </svg>
      <Typography variant="caption" color="textSecondary">
        Score by day. Filled: the day&apos;s snapshot; hollow: computed later
        from the test, review and exception records of that day.
      </Typography>
    </Box>
  );
}
