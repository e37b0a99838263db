import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  AdvisorySeverity,
  ControlStatus,
  ExceptionStatus,
  FrameworkMapping,
  IncidentSeverity,
  PostureGrade,
  ScheduledReview,
  ScheduledTest,
} from '@open-itsm/plugin-security-management-common';
import { humanize } from '../lib/format';

/** A colour with a meaning, shared by chips and bars. */
export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'neutral';

const useStyles = makeStyles((theme: Theme) => ({
  good: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  bad: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  warn: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  info: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  neutral: {},
}));

/** The colour of each control status, shared by chips and bar charts. */
export const CONTROL_STATUS_TONE: Record<ControlStatus, Tone> = {
  passing: 'good',
  failing: 'bad',
  overdue: 'warn',
  untested: 'neutral',
  excepted: 'info',
};

const SEVERITY_TONE: Record<IncidentSeverity, Tone> = {
  critical: 'bad',
  high: 'warn',
  medium: 'info',
  low: 'neutral',
};

const EXCEPTION_TONE: Record<ExceptionStatus, Tone> = {
  requested: 'info',
  approved: 'good',
  rejected: 'bad',
  expired: 'neutral',
};

const SCHEDULE_TONE: Record<
  ScheduledTest['state'] | ScheduledReview['state'],
  Tone
> = {
  overdue: 'bad',
  failing: 'bad',
  due: 'warn',
  'review-required': 'warn',
  untested: 'neutral',
  'never-reviewed': 'neutral',
};

/** The colour of each posture grade. */
export const GRADE_TONE: Record<PostureGrade, Tone> = {
  A: 'good',
  B: 'good',
  C: 'warn',
  D: 'warn',
  F: 'bad',
  'N/A': 'neutral',
};

/** A small chip in the colour of its meaning. */
export function ToneChip(props: { tone: Tone; label: string }) {
  const classes = useStyles();
  return (
    <Chip size="small" label={props.label} className={classes[props.tone]} />
  );
}

/** A control's status on an entity. */
export function ControlStatusChip(props: { status: ControlStatus }) {
  return (
    <ToneChip
      tone={CONTROL_STATUS_TONE[props.status]}
      label={humanize(props.status)}
    />
  );
}

/** An incident severity. */
export function SeverityChip(props: { severity: IncidentSeverity }) {
  return (
    <ToneChip
      tone={SEVERITY_TONE[props.severity]}
      label={humanize(props.severity)}
    />
  );
}

const ADVISORY_SEVERITY_TONE: Record<AdvisorySeverity, Tone> = {
  critical: 'bad',
  high: 'warn',
  moderate: 'info',
  low: 'neutral',
  unknown: 'neutral',
};

/** An advisory's severity. */
export function AdvisorySeverityChip(props: { severity: AdvisorySeverity }) {
  return (
    <ToneChip
      tone={ADVISORY_SEVERITY_TONE[props.severity]}
      label={humanize(props.severity)}
    />
  );
}

/** An exception status. */
export function ExceptionStatusChip(props: { status: ExceptionStatus }) {
  return (
    <ToneChip
      tone={EXCEPTION_TONE[props.status]}
      label={humanize(props.status)}
    />
  );
}

/** A posture grade as a small chip, for tables. */
export function GradeChip(props: { grade: PostureGrade }) {
  return <ToneChip tone={GRADE_TONE[props.grade]} label={props.grade} />;
}

/**
 * A scheduled item's state: due, required by a change, overdue, untested
 * or never reviewed.
 */
export function ScheduleStateChip(props: {
  state: ScheduledTest['state'] | ScheduledReview['state'];
}) {
  return (
    <ToneChip tone={SCHEDULE_TONE[props.state]} label={humanize(props.state)} />
  );
}

/** Framework mappings such as `nist-sp-800-53-rev5 SC-8`. */
export function FrameworkChips(props: { frameworks: FrameworkMapping[] }) {
  if (props.frameworks.length === 0) return <>—</>;
  return (
    <>
      {props.frameworks.map(f => (
        <Chip
          key={`${f.framework}:${f.ref}`}
          size="small"
          variant="outlined"
          label={`${f.framework} ${f.ref}`}
          style={{ margin: 2 }}
        />
      ))}
    </>
  );
}

const useGradeStyles = makeStyles((theme: Theme) => ({
  root: { fontSize: '3.5rem', fontWeight: 700, lineHeight: 1 },
  good: { color: theme.palette.success.main },
  bad: { color: theme.palette.error.main },
  warn: { color: theme.palette.warning.main },
  info: { color: theme.palette.info.main },
  neutral: { color: theme.palette.text.secondary },
}));

/** A posture grade as a big coloured letter. */
export function GradeLetter(props: { grade: PostureGrade }) {
  const classes = useGradeStyles();
  return (
    <Typography
      component="span"
      aria-label={`Grade ${props.grade}`}
      className={`${classes.root} ${classes[GRADE_TONE[props.grade]]}`}
    >
      {props.grade}
    </Typography>
  );
}
