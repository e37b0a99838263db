import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  ReviewCondition,
  ScheduledReview,
  securityReviewCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { formatDate, formatRelative } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { ScheduleStateChip } from '../components/chips';
import { OverflowText } from '../components/OverflowText';
import { ReviewConditionsList } from '../components/ReviewConditionsList';
import { ReviewReasons } from '../components/ReviewReasons';
import { RecordReviewDialog } from '../dialogs/RecordReviewDialog';
import {
  defaultScheduleRange,
  ScheduleFilters,
  toScheduleQuery,
} from './ScheduleFilters';

const CONDITIONS_LIMIT = 200;

/** The open conditions of reviews, oldest review first, until met. */
function OpenConditions() {
  const state = useSecurityData(
    api =>
      api.listReviewConditions({ status: ['open'], limit: CONDITIONS_LIMIT }),
    [],
  );
  const columns: TableColumn<ReviewCondition>[] = [
    {
      title: 'Entity',
      field: 'entityRef',
      render: c => <EntityRefLink entityRef={c.entityRef} />,
    },
    {
      title: 'Condition',
      field: 'text',
      render: c => <ReviewConditionsList conditions={[c]} />,
    },
  ];
  return (
    <AsyncContent state={state} action="view the open review conditions">
      {page => (
        <Table<ReviewCondition>
          title={`Open review conditions (${page.totalCount})`}
          columns={columns}
          data={page.items}
          options={{
            search: false,
            paging: page.items.length > 20,
            pageSize: 20,
            padding: 'dense',
          }}
          emptyContent={
            <Box p={2}>
              <Typography variant="body2">
                Every condition of every review is met or waived.
              </Typography>
            </Box>
          }
        />
      )}
    </AsyncContent>
  );
}

/**
 * Security reviews due in a range, required by a change in the catalog,
 * overdue, or that never happened.
 */
export function ReviewsTab() {
  const [filters, setFilters] = useState({
    owner: '',
    ...defaultScheduleRange(),
  });
  const [reviewing, setReviewing] = useState<string>();
  const { allowed: canReview } = usePermission({
    permission: securityReviewCreatePermission,
  });
  const state = useSecurityData(
    api => api.getSchedule(toScheduleQuery(filters)),
    [filters],
  );

  const columns: TableColumn<ScheduledReview>[] = [
    {
      title: 'State',
      field: 'state',
      render: r => <ScheduleStateChip state={r.state} />,
    },
    {
      title: 'Entity',
      field: 'entityRef',
      render: r => (
        <EntityRefLink entityRef={r.entityRef}>
          {r.entityTitle ? <OverflowText text={r.entityTitle} /> : undefined}
        </EntityRefLink>
      ),
    },
    {
      title: 'Owner',
      field: 'owner',
      render: r => (r.owner ? <EntityRefLink entityRef={r.owner} /> : '—'),
    },
    { title: 'Risk tier', field: 'riskTier' },
    {
      title: 'Due',
      field: 'dueAt',
      render: r =>
        r.dueAt
          ? `${formatDate(r.dueAt)} (${formatRelative(r.dueAt)})`
          : 'Never reviewed',
    },
    {
      title: 'Why',
      sorting: false,
      render: r =>
        r.reasons?.length ? <ReviewReasons reasons={r.reasons} /> : '—',
    },
    {
      title: 'Actions',
      sorting: false,
      render: r =>
        canReview ? (
          <Button
            size="small"
            color="primary"
            onClick={() => setReviewing(r.entityRef)}
          >
            Record review
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <ScheduleFilters initial={filters} onApply={setFilters} />
      <AsyncContent state={state} action="view the reviews due">
        {schedule => (
          <Table<ScheduledReview>
            title="Reviews due"
            columns={columns}
            data={schedule.reviews}
            options={{
              search: true,
              paging: schedule.reviews.length > 20,
              pageSize: 20,
              padding: 'dense',
            }}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">
                  No review is due in this range, none is overdue, and no change
                  requires one.
                </Typography>
              </Box>
            }
          />
        )}
      </AsyncContent>
      <Box mt={3}>
        <OpenConditions />
      </Box>
      <RecordReviewDialog
        open={reviewing !== undefined}
        onClose={() => setReviewing(undefined)}
        entityRef={reviewing ?? ''}
      />
    </>
  );
}
