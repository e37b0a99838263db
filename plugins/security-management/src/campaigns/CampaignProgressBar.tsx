import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { CampaignProgress } from '@open-itsm/plugin-security-management-common';

/** The share of items done, in whole percent; 100 when there is nothing to do. */
function percentDone(progress: CampaignProgress): number {
  return progress.items === 0
    ? 100
    : Math.floor((progress.done / progress.items) * 100);
}

/** How far a campaign (or one owner's part of it) has come, as a bar and words. */
export function CampaignProgressBar(props: {
  progress: CampaignProgress;
  /** What the bar is of, for screen readers: "TLS everywhere". */
  label: string;
}) {
  const { progress, label } = props;
  const percent = percentDone(progress);
  return (
    <Box minWidth={160}>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={`${label}: ${percent}% done`}
        color={percent === 100 ? 'primary' : 'secondary'}
      />
      <Typography variant="caption" color="textSecondary">
        {progress.items === 0
          ? 'Nothing to do in scope yet'
          : `${progress.done} of ${progress.items} done (${percent}%)`}
        {progress.excepted > 0 && ` · ${progress.excepted} by exception`}
        {` · ${progress.entities} ${
          progress.entities === 1 ? 'entity' : 'entities'
        }`}
      </Typography>
    </Box>
  );
}
