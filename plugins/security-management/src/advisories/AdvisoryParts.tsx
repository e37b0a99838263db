import { Link } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  Advisory,
  AdvisoryFinding,
  AdvisoryFindingStatus,
} from '@open-itsm/plugin-security-management-common';
import { Tone, ToneChip } from '../components/chips';
import { OverflowText } from '../components/OverflowText';
import { formatDate, formatRelative } from '../lib/format';
import {
  advisoryUrl,
  describeFindingStatus,
  describeKev,
  describeMatch,
} from './format';

const STATUS_TONE: Record<AdvisoryFindingStatus, Tone> = {
  open: 'warn',
  acknowledged: 'info',
  mitigated: 'good',
  'not-affected': 'neutral',
  resolved: 'good',
};

const useStyles = makeStyles((theme: Theme) => ({
  exploited: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
    marginLeft: theme.spacing(0.5),
  },
  overdue: { color: theme.palette.error.main, fontWeight: 700 },
  id: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
}));

/** An advisory's id, linked to where it can be read. */
export function AdvisoryLink(props: {
  advisory: Pick<Advisory, 'id' | 'source' | 'references'>;
}) {
  const classes = useStyles();
  const url = advisoryUrl(props.advisory);
  const id = <span className={classes.id}>{props.advisory.id}</span>;
  return url ? <Link to={url}>{id}</Link> : id;
}

/** A finding's status; "Not affected" with its VEX justification in words. */
export function FindingStatusChip(props: {
  finding: Pick<AdvisoryFinding, 'status' | 'justification'>;
}) {
  return (
    <ToneChip
      tone={STATUS_TONE[props.finding.status]}
      label={describeFindingStatus(props.finding)}
    />
  );
}

/** "Known exploited", with CISA's required action and due date in its tooltip. */
export function KnownExploitedChip(props: {
  advisory: Pick<Advisory, 'kevRequiredAction' | 'kevDueDate'>;
}) {
  const classes = useStyles();
  const detail = describeKev(props.advisory);
  return (
    <Tooltip title={detail}>
      <Chip
        size="small"
        label="Known exploited"
        aria-label={`Known exploited. ${detail}`}
        className={classes.exploited}
      />
    </Tooltip>
  );
}

/** When a finding is due; overdue ones stand out. */
export function FindingDue(props: {
  finding: Pick<AdvisoryFinding, 'dueAt' | 'overdue'>;
}) {
  const classes = useStyles();
  const { dueAt, overdue } = props.finding;
  return (
    <Typography variant="body2" component="span">
      {overdue && <span className={classes.overdue}>Overdue · </span>}
      {formatDate(dueAt)}
      <Typography variant="caption" display="block" color="textSecondary">
        {formatRelative(dueAt)}
      </Typography>
    </Typography>
  );
}

/** Why the advisory affects the entity: one line per matching component. */
export function MatchReasons(props: {
  matches: AdvisoryFinding['matches'];
  /** At most this many lines; the rest are counted. */
  max?: number;
}) {
  const { matches, max = matches.length } = props;
  if (matches.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No component matches any more
      </Typography>
    );
  }
  return (
    <>
      {matches.slice(0, max).map((match, index) => (
        <Typography
          key={`${match.purl ?? match.package}-${index}`}
          variant="body2"
          component="div"
          title={match.purl}
        >
          <OverflowText text={describeMatch(match)} />
        </Typography>
      ))}
      {matches.length > max && (
        <Typography variant="caption" color="textSecondary">
          and {matches.length - max} more
        </Typography>
      )}
    </>
  );
}

/** CISA's required action and due date, spelled out under the summary. */
export function KevDetail(props: {
  advisory: Pick<Advisory, 'kevRequiredAction' | 'kevDueDate'>;
}) {
  return (
    <Typography variant="caption" display="block" color="error">
      <OverflowText text={describeKev(props.advisory)} lines={3} />
    </Typography>
  );
}
