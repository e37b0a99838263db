import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  CONTROL_STATUSES,
  EntityPosture,
  INCIDENT_SEVERITIES,
  IncidentSeverityCounts,
} from '@open-itsm/plugin-security-management-common';
import { describeReviewDue, humanize } from '../lib/format';
import { GradeLetter } from './chips';
import { ReviewReasons } from './ReviewReasons';

function Count(props: { label: string; value: number }) {
  return (
    <Box mr={2} display="inline-block" textAlign="center">
      <Typography variant="h6" component="div">
        {props.value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
    </Box>
  );
}

/**
 * Open incidents by severity, beside the score and not part of it. The API
 * counts only those the viewer may read, and leaves the counts out for a
 * viewer who may read none: then nothing is shown, not even "None".
 */
function OpenIncidents(props: { counts: IncidentSeverityCounts }) {
  const { counts } = props;
  const open = INCIDENT_SEVERITIES.filter(s => counts[s] > 0);
  return (
    <>
      <Typography variant="subtitle2">Open incidents</Typography>
      <Typography variant="body2">
        {open.length === 0
          ? 'None'
          : open.map(s => `${counts[s]} ${s}`).join(', ')}
      </Typography>
    </>
  );
}

/**
 * The posture of one entity at a glance: grade and score, controls by
 * status, when the next review is due and the open incidents the viewer
 * may read, by severity.
 */
export function PostureSummary(props: { posture: EntityPosture }) {
  const { posture } = props;
  return (
    <Grid container spacing={2} alignItems="center">
      <Grid item>
        <GradeLetter grade={posture.grade} />
      </Grid>
      <Grid item>
        <Typography variant="h6" component="div">
          {posture.score === null ? 'No score' : `Score ${posture.score}/100`}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Risk tier {posture.riskTier}
        </Typography>
      </Grid>
      <Grid item xs={12}>
        {CONTROL_STATUSES.map(status => (
          <Count
            key={status}
            label={humanize(status)}
            value={posture.counts[status]}
          />
        ))}
      </Grid>
      <Grid item xs={12}>
        <Typography variant="subtitle2">Security review</Typography>
        <Typography variant="body2">
          {posture.review.nextDueAt
            ? `${humanize(posture.review.status)} — ${describeReviewDue(
                posture.review,
              )}`
            : humanize(posture.review.status)}
        </Typography>
        <ReviewReasons reasons={posture.review.reasons} />
        {posture.review.lastOutcome === 'approved-with-conditions' &&
          posture.review.openConditions !== undefined && (
            <Typography variant="body2">
              Approved with conditions:{' '}
              {posture.review.openConditions
                ? `${posture.review.openConditions} open`
                : 'all met'}
            </Typography>
          )}
      </Grid>
      {posture.openIncidents && (
        <Grid item xs={12}>
          <OpenIncidents counts={posture.openIncidents} />
        </Grid>
      )}
    </Grid>
  );
}
