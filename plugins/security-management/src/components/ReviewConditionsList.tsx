import { useState } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  ReviewCondition,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import { ReviewConditionDialog } from '../dialogs/ReviewConditionDialog';
import { formatDate, formatDateTime, humanize } from '../lib/format';
import { ToneChip } from './chips';

const TONE = { open: 'warn', met: 'good', waived: 'neutral' } as const;

/** Who signed a condition off and when, and their note. */
function SignedOff(props: { condition: ReviewCondition }) {
  const { metBy, metAt, note } = props.condition;
  if (!metAt) return null;
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {metBy?.startsWith('user:') ? (
        <EntityRefLink entityRef={metBy} defaultKind="user" />
      ) : (
        metBy
      )}
      , <span title={formatDateTime(metAt)}>{formatDate(metAt)}</span>
      {note ? ` — ${note}` : ''}
    </Typography>
  );
}

/**
 * The conditions of a review, each with its status; open ones have Met
 * and Waive for whoever may record reviews.
 */
export function ReviewConditionsList(props: { conditions: ReviewCondition[] }) {
  const { allowed: canSignOff } = usePermission({
    permission: securityReviewCreatePermission,
  });
  const [acting, setActing] = useState<{
    condition: ReviewCondition;
    status: 'met' | 'waived';
  }>();
  return (
    <>
      {props.conditions.map(condition => (
        <Box
          key={`${condition.reviewId}/${condition.position}`}
          mb={1}
          aria-label={`Condition: ${condition.text}`}
        >
          <ToneChip
            tone={TONE[condition.status]}
            label={humanize(condition.status)}
          />{' '}
          <Typography variant="body2" component="span">
            {condition.text}
          </Typography>
          {condition.status === 'open' && canSignOff && (
            <>
              {' '}
              <Button
                size="small"
                color="primary"
                onClick={() => setActing({ condition, status: 'met' })}
              >
                Met
              </Button>
              <Button
                size="small"
                onClick={() => setActing({ condition, status: 'waived' })}
              >
                Waive
              </Button>
            </>
          )}
          <SignedOff condition={condition} />
        </Box>
      ))}
      {acting && (
        <ReviewConditionDialog
          open
          onClose={() => setActing(undefined)}
          condition={acting.condition}
          status={acting.status}
        />
      )}
    </>
  );
}
