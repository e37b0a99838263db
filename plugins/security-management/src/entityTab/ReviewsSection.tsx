import { useState } from 'react';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  ReviewReason,
  securityReviewCreatePermission,
  SecurityReview,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { formatDate, humanize } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { OverflowText } from '../components/OverflowText';
import { ReviewConditionsList } from '../components/ReviewConditionsList';
import { ReviewReasons } from '../components/ReviewReasons';
import { RecordReviewDialog } from '../dialogs/RecordReviewDialog';

/** "Approved with conditions: 2 open" until every condition is met. */
export function describeOutcome(review: SecurityReview): string {
  const outcome = humanize(review.outcome);
  const open = review.trackedConditions?.filter(c => c.status === 'open');
  if (!open || review.outcome !== 'approved-with-conditions') return outcome;
  return open.length
    ? `${outcome}: ${open.length} open`
    : `${outcome}: all met`;
}

const columns: TableColumn<SecurityReview>[] = [
  {
    title: 'Reviewed',
    field: 'reviewedAt',
    render: r => formatDate(r.reviewedAt),
  },
  { title: 'Reviewer', field: 'reviewer' },
  { title: 'Outcome', field: 'outcome', render: r => describeOutcome(r) },
  {
    title: 'Findings',
    field: 'findings',
    render: r => <OverflowText text={r.findings} lines={3} />,
  },
  {
    title: 'Conditions',
    sorting: false,
    render: r => {
      if (r.trackedConditions?.length) {
        return <ReviewConditionsList conditions={r.trackedConditions} />;
      }
      return r.conditions.length ? (
        <OverflowText text={r.conditions.join('; ')} lines={3} />
      ) : (
        '—'
      );
    },
  },
  {
    title: 'Next due',
    field: 'nextDueAt',
    render: r => formatDate(r.nextDueAt),
  },
];

/**
 * The security reviews of the entity; `reasons`, from its posture, say why
 * a review is required before its due date.
 */
export function ReviewsSection(props: {
  entityRef: string;
  reasons?: ReviewReason[];
}) {
  const [open, setOpen] = useState(false);
  const { allowed: canReview } = usePermission({
    permission: securityReviewCreatePermission,
  });
  const state = useSecurityData(
    api => api.listReviews({ entityRef: props.entityRef }),
    [props.entityRef],
  );
  return (
    <InfoCard
      title="Security reviews"
      action={
        canReview ? (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setOpen(true)}
          >
            Record review
          </Button>
        ) : undefined
      }
    >
      {props.reasons?.length ? (
        <Box mb={2}>
          <Alert severity="warning">
            <Typography variant="body2" gutterBottom>
              Review required: the catalog shows changes since the latest
              review.
            </Typography>
            <ReviewReasons reasons={props.reasons} />
          </Alert>
        </Box>
      ) : null}
      <AsyncContent state={state} action="view security reviews">
        {page =>
          page.items.length === 0 ? (
            <Typography variant="body2">
              This entity has never been reviewed.
            </Typography>
          ) : (
            <Table<SecurityReview>
              columns={columns}
              data={page.items}
              options={{
                search: false,
                paging: page.items.length > 10,
                padding: 'dense',
                toolbar: false,
              }}
            />
          )
        }
      </AsyncContent>
      <RecordReviewDialog
        open={open}
        onClose={() => setOpen(false)}
        entityRef={props.entityRef}
      />
    </InfoCard>
  );
}
