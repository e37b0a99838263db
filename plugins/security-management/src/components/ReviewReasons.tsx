import Typography from '@material-ui/core/Typography';
import { ReviewReason } from '@open-itsm/plugin-security-management-common';
import { formatDate, humanize } from '../lib/format';

/**
 * Why a review is required before its due date: each security-relevant
 * change the catalog showed since the latest review, with when it was
 * seen. Nothing when there is none.
 */
export function ReviewReasons(props: { reasons?: ReviewReason[] }) {
  const { reasons } = props;
  if (!reasons?.length) return null;
  return (
    <ul
      aria-label="Why a review is required"
      style={{ margin: 0, paddingLeft: 20 }}
    >
      {reasons.map((reason, index) => (
        <li key={`${reason.trigger}:${reason.seenAt}:${index}`}>
          <Typography variant="body2" component="span">
            {humanize(reason.trigger)}: {reason.detail} (seen{' '}
            {formatDate(reason.seenAt)})
          </Typography>
        </li>
      ))}
    </ul>
  );
}
